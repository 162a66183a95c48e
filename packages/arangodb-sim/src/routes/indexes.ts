import type { Ctx } from '../http/context.js';
import { ok, okAfter } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { Collection } from '../storage/collection.js';
import { errors } from '../storage/errors.js';
import { describeIndex, equivalent, normaliseIndex, systemIndexes } from '../storage/indexes.js';

function allIndexes(c: Collection): Record<string, unknown>[] {
  return [
    ...systemIndexes(c.name, c.props.type === 3),
    ...c.userIndexes.map((r) => describeIndex(c.name, r)),
  ];
}

function findIndex(c: Collection, id: string): Record<string, unknown> {
  const found = allIndexes(c).find((i) => i.id === `${c.name}/${id}` || i.name === id);
  if (!found) throw errors.indexNotFound();
  return found;
}

function collectionParam(ctx: Ctx): Collection {
  const name = ctx.query.collection;
  if (!name) throw errors.dataSourceNotFound('');
  ctx.assertReadable(name);
  return ctx.db.require(name);
}

export function indexRoutes(r: Router): void {
  r.on('GET', '/_api/index', (ctx) => {
    const c = collectionParam(ctx);
    const indexes = allIndexes(c);
    return ok({ indexes, identifiers: Object.fromEntries(indexes.map((i) => [i.id as string, i])) });
  });

  r.on('GET', '/_api/index/:coll/:id', (ctx, p) => {
    ctx.assertReadable(p.coll);
    return okAfter(findIndex(ctx.db.require(p.coll as string), p.id as string));
  });

  r.on('POST', '/_api/index', (ctx) => {
    const c = collectionParam(ctx);
    ctx.server.assertAdmin(ctx);
    const inst = ctx.server;
    const req = ctx.object();
    const props = normaliseIndex(req, inst.version, inst.cluster, () => inst.ids.indexName());
    const requestedName = typeof req.name === 'string' && req.name.length > 0 ? req.name : undefined;
    for (const existing of c.userIndexes) {
      if (equivalent(existing.props, props)) {
        return okAfter({ ...describeIndex(c.name, existing), isNewlyCreated: false }, 200);
      }
      if (requestedName !== undefined && existing.props.name === requestedName)
        throw errors.duplicateIdentifier();
      if (existing.props.type === 'ttl' && props.type === 'ttl') {
        throw errors.badParameter('there can only be one ttl index per collection');
      }
    }
    if (requestedName === 'primary' || requestedName === 'edge') throw errors.duplicateIdentifier();
    const record = c.addIndex(String(inst.ids.tick()), props);
    const out = describeIndex(c.name, record);
    const sorted: Record<string, unknown> = {};
    for (const k of [...Object.keys(out), 'isNewlyCreated'].sort())
      sorted[k] = k === 'isNewlyCreated' ? true : out[k];
    return okAfter(sorted, 201);
  });

  r.on('DELETE', '/_api/index/:coll/:id', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const c = ctx.db.require(p.coll as string);
    const found = findIndex(c, p.id as string);
    if (found.type === 'primary' || found.type === 'edge') throw errors.forbidden();
    c.dropIndex(String(found.id).split('/')[1] as string);
    return okAfter({ id: found.id });
  });
}
