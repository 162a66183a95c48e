import type { StoredDoc, WriteOptions } from '../aql/host.js';
import { SimError } from '../aql/host.js';
import { assertReachable } from '../cluster/availability.js';
import type { Ctx } from '../http/context.js';
import { json, type Reply } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { Collection } from '../storage/collection.js';
import { errors } from '../storage/errors.js';

type Op = 'insert' | 'replace' | 'update' | 'remove';

function quoted(rev: string): string {
  return `"${rev}"`;
}

function unquote(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return v.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

function writeOptions(ctx: Ctx): WriteOptions {
  let overwriteMode = ctx.query.overwriteMode as WriteOptions['overwriteMode'];
  if (!overwriteMode && ctx.flag('overwrite')) overwriteMode = 'replace';
  return {
    overwriteMode,
    keepNull: ctx.flag('keepNull', true),
    mergeObjects: ctx.flag('mergeObjects', true),
    ignoreRevs: ctx.flag('ignoreRevs', true),
  };
}

function isSync(ctx: Ctx, c: Collection): boolean {
  return ctx.flag('waitForSync') || c.props.waitForSync;
}

/** The per-document answer: `_id,_key,_rev` (+`_oldRev`) and `new`/`old` when asked for. */
function result(ctx: Ctx, op: Op, out: { new?: StoredDoc; old?: StoredDoc }): Record<string, unknown> {
  if (ctx.flag('silent')) return {};
  const doc = (op === 'remove' ? out.old : out.new) as StoredDoc;
  const r: Record<string, unknown> = { _id: doc._id, _key: doc._key, _rev: doc._rev };
  if (op !== 'remove' && op !== 'insert' && out.old) r._oldRev = out.old._rev;
  if (op === 'insert' && out.old && out.old !== out.new) r._oldRev = out.old._rev;
  if (ctx.flag('returnNew') && out.new && op !== 'remove') r.new = out.new;
  if (ctx.flag('returnOld') && out.old && (op !== 'insert' || out.old !== out.new)) r.old = out.old;
  return r;
}

function conflictReply(doc: StoredDoc): Reply {
  return json(
    {
      error: true,
      code: 412,
      errorNum: 1200,
      errorMessage: 'conflict, _rev values do not match',
      _id: doc._id,
      _key: doc._key,
      _rev: doc._rev,
    },
    412,
    { etag: quoted(doc._rev) },
  );
}

/**
 * The key a batch item addresses: a key string, a `coll/key` handle or an object with `_key`.
 * A handle into another collection addresses nothing here (real servers answer 1202 for it).
 */
function keyOf(item: unknown, c: Collection): string | undefined {
  const handle =
    item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>)._key : item;
  if (typeof handle !== 'string') return undefined;
  const slash = handle.indexOf('/');
  if (slash < 0) return handle;
  return handle.slice(0, slash) === c.name ? handle.slice(slash + 1) : FOREIGN_HANDLE;
}

/** Not a valid key, so lookups with it find nothing. */
const FOREIGN_HANDLE = '/';

function apply(
  c: Collection,
  op: Op,
  key: string | undefined,
  body: Record<string, unknown>,
  opts: WriteOptions,
): { new?: StoredDoc; old?: StoredDoc } {
  switch (op) {
    case 'insert':
      return c.insert(body, opts);
    case 'replace':
      if (key === undefined) throw errors.illegalKey();
      return c.replace(key, body, opts);
    case 'update':
      if (key === undefined) throw errors.illegalKey();
      return c.update(key, body, opts);
    default: {
      if (key === undefined) throw errors.illegalKey();
      const rev = opts.ignoreRevs === false && typeof body._rev === 'string' ? body._rev : undefined;
      return c.remove(key, { ...opts, ...(rev ? { rev } : {}) });
    }
  }
}

function batch(ctx: Ctx, c: Collection, op: Op, items: unknown[]): Reply {
  const opts = writeOptions(ctx);
  const out: unknown[] = [];
  const codes: Record<string, number> = {};
  for (const item of items) {
    try {
      const body =
        item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
      if (op !== 'remove' && (item === null || typeof item !== 'object' || Array.isArray(item))) {
        throw new SimError(400, 1227, 'invalid document type');
      }
      const key = op === 'insert' ? undefined : keyOf(item, c);
      if (op !== 'insert' && key === undefined) throw errors.documentNotFound();
      out.push(result(ctx, op, apply(c, op, key, body, opts)));
    } catch (e) {
      if (!(e instanceof SimError)) throw e;
      codes[e.errorNum] = (codes[e.errorNum] ?? 0) + 1;
      out.push({ error: true, errorNum: e.errorNum, errorMessage: e.message });
    }
  }
  const failed = Object.keys(codes).length > 0;
  const sync = isSync(ctx, c) && !failed;
  const status = sync ? (op === 'remove' ? 200 : 201) : 202;
  return json(out, status, failed ? { 'x-arango-error-codes': JSON.stringify(codes) } : undefined);
}

function single(ctx: Ctx, c: Collection, op: Op, key: string | undefined): Reply {
  const body = op === 'remove' ? {} : ctx.object();
  if (op !== 'insert' && key !== undefined) {
    const cur = c.get(key);
    const ifMatch = unquote(ctx.header('if-match')) ?? (ctx.query.rev as string | undefined);
    if (cur && ifMatch !== undefined && ifMatch !== cur._rev) return conflictReply(cur);
    if (
      cur &&
      ctx.flag('ignoreRevs', true) === false &&
      typeof body._rev === 'string' &&
      body._rev !== cur._rev
    ) {
      return conflictReply(cur);
    }
  }
  const out = apply(c, op, key, body, writeOptions(ctx));
  const doc = (op === 'remove' ? out.old : out.new) as StoredDoc;
  const sync = isSync(ctx, c);
  const status = sync ? (op === 'remove' ? 200 : 201) : 202;
  return json(result(ctx, op, out), status, {
    etag: quoted(doc._rev),
    location: ctx.location(`/_api/document/${c.name}/${encodeURIComponent(doc._key)}`),
  });
}

/** The collection of a request, after access checks; `key` narrows the reachability check to its shard. */
function collectionOf(ctx: Ctx, name: string | undefined, write: boolean, key?: string): Collection {
  if (!name) throw new SimError(400, 1203, 'collection not found');
  if (write) ctx.assertWritable(name);
  else ctx.assertReadable(name);
  const c = ctx.db.require(name);
  assertReachable(ctx.server, c.props.sharding, key);
  return c;
}

export function documentRoutes(r: Router): void {
  const insert = (ctx: Ctx, p: Record<string, string>): Reply => {
    const body = ctx.json();
    const key = (body as { _key?: unknown } | undefined)?._key;
    const c = collectionOf(
      ctx,
      p.coll ?? ctx.query.collection,
      true,
      typeof key === 'string' ? key : undefined,
    );
    if (Array.isArray(body)) return batch(ctx, c, 'insert', body);
    return single(ctx, c, 'insert', undefined);
  };
  r.on('POST', '/_api/document/:coll', insert);
  r.on('POST', '/_api/document', insert);

  const read = (ctx: Ctx, p: Record<string, string>): Reply => {
    const c = collectionOf(ctx, p.coll, false, p.key);
    const doc = c.get(p.key as string);
    if (!doc) throw errors.documentNotFound();
    const etag = { etag: quoted(doc._rev) };
    const ifNoneMatch = unquote(ctx.header('if-none-match'));
    if (ifNoneMatch !== undefined && ifNoneMatch === doc._rev)
      return { status: 304, headers: etag, contentType: 'text/plain' };
    const ifMatch = unquote(ctx.header('if-match'));
    if (ifMatch !== undefined && ifMatch !== doc._rev) return conflictReply(doc);
    if (ctx.method === 'HEAD') return { status: 200, headers: etag };
    return json(doc, 200, etag);
  };
  r.on('GET', '/_api/document/:coll/:key', read);
  r.on('HEAD', '/_api/document/:coll/:key', read);

  r.on('PUT', '/_api/document/:coll/:key', (ctx, p) =>
    single(ctx, collectionOf(ctx, p.coll, true, p.key), 'replace', p.key),
  );
  r.on('PATCH', '/_api/document/:coll/:key', (ctx, p) =>
    single(ctx, collectionOf(ctx, p.coll, true, p.key), 'update', p.key),
  );
  r.on('DELETE', '/_api/document/:coll/:key', (ctx, p) =>
    single(ctx, collectionOf(ctx, p.coll, true, p.key), 'remove', p.key),
  );

  const arrayBody = (ctx: Ctx): unknown[] => {
    const body = ctx.json();
    if (!Array.isArray(body)) throw new SimError(400, 400, 'expecting a JSON array in the request');
    return body;
  };

  r.on('PUT', '/_api/document/:coll', (ctx, p) => {
    if (ctx.flag('onlyget')) {
      const c = collectionOf(ctx, p.coll, false);
      const codes: Record<string, number> = {};
      const out = arrayBody(ctx).map((item) => {
        const key = keyOf(item, c);
        const doc = key === undefined ? undefined : c.get(key);
        if (doc) return doc;
        codes['1202'] = (codes['1202'] ?? 0) + 1;
        return { error: true, errorNum: 1202, errorMessage: 'document not found' };
      });
      return json(
        out,
        200,
        Object.keys(codes).length ? { 'x-arango-error-codes': JSON.stringify(codes) } : undefined,
      );
    }
    return batch(ctx, collectionOf(ctx, p.coll, true), 'replace', arrayBody(ctx));
  });
  r.on('PATCH', '/_api/document/:coll', (ctx, p) =>
    batch(ctx, collectionOf(ctx, p.coll, true), 'update', arrayBody(ctx)),
  );
  r.on('DELETE', '/_api/document/:coll', (ctx, p) =>
    batch(ctx, collectionOf(ctx, p.coll, true), 'remove', arrayBody(ctx)),
  );
}
