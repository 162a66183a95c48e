import type { Ctx } from '../http/context.js';
import { ok, okAfter, okCodeLast } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { Collection } from '../storage/collection.js';
import { errors } from '../storage/errors.js';
import { describeIndex, normaliseIndex, systemIndexes } from '../storage/indexes.js';

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
    return okCodeLast(findIndex(ctx.db.require(p.coll as string), p.id as string));
  });

  r.on('POST', '/_api/index', (ctx) => {
    const c = collectionParam(ctx);
    ctx.server.assertAdmin(ctx);
    const inst = ctx.server;
    const req = ctx.object();
    const props = normaliseIndex(req, inst.version, inst.cluster, () => inst.ids.indexName());
    const requestedName = typeof req.name === 'string' && req.name.length > 0 ? req.name : undefined;
    const { record, created } = c.ensureIndex(props, requestedName, () => String(inst.ids.tick()));
    const out = describeIndex(c.name, record);
    const sorted: Record<string, unknown> = {};
    for (const k of [...Object.keys(out), 'isNewlyCreated'].sort()) {
      sorted[k] = k === 'isNewlyCreated' ? created : out[k];
    }
    return okCodeLast(sorted, created ? 201 : 200);
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
