/** INSERT / UPDATE / REPLACE / REMOVE / UPSERT stages: all writes go through the host collection. */
import type { CollectionName, Expr, Statement } from '../ast.js';
import { ERR, invalidDocumentType } from '../errors.js';
import type { HostCollection, StoredDoc, WriteOptions } from '../host.js';
import { SimError } from '../host.js';
import { type ExecContext, errorOrigin } from './context.js';
import { attribute, compileExpr, dataSourceParam } from './expression.js';
import type { Stage } from './pipeline.js';
import { equals, isObject, truthy } from './values.js';

export function collectionOf(name: CollectionName, ctx: ExecContext): string {
  return 'name' in name ? name.name : dataSourceParam(ctx, name.param);
}

interface ModOptions {
  write: WriteOptions;
  ignoreErrors: boolean;
}

function modOptions(options: Expr | undefined, ctx: ExecContext): ModOptions {
  const o = options ? compileExpr(options, ctx)([]) : {};
  const opts = isObject(o) ? o : {};
  const write: WriteOptions = {};
  const mode = opts.overwriteMode ?? (truthy(opts.overwrite) ? 'replace' : undefined);
  if (mode === 'conflict' || mode === 'ignore' || mode === 'replace' || mode === 'update')
    write.overwriteMode = mode;
  if (opts.keepNull !== undefined) write.keepNull = truthy(opts.keepNull);
  if (opts.mergeObjects !== undefined) write.mergeObjects = truthy(opts.mergeObjects);
  // AQL ignores `_rev` in the documents it writes unless told otherwise.
  write.ignoreRevs = opts.ignoreRevs === undefined ? true : truthy(opts.ignoreRevs);
  return { write, ignoreErrors: truthy(opts.ignoreErrors) };
}

function keyOf(v: unknown, collection: string): string {
  if (typeof v === 'string') {
    const slash = v.indexOf('/');
    return slash >= 0 && v.slice(0, slash) === collection ? v.slice(slash + 1) : v;
  }
  if (isObject(v)) {
    if (typeof v._key === 'string') return v._key;
    if (typeof v._id === 'string') return keyOf(v._id, collection);
    throw new SimError(400, ERR.documentKeyMissing, 'missing document key');
  }
  throw invalidDocumentType();
}

function withoutIdentity(doc: unknown): Record<string, unknown> {
  if (!isObject(doc)) throw invalidDocumentType();
  const { _key: _k, _id: _i, ...rest } = doc;
  return rest;
}

export function modifyStage(s: Statement & { kind: 'modify' }, ctx: ExecContext): Stage {
  const name = collectionOf(s.collection, ctx);
  const coll = ctx.collection(name);
  ctx.host.assertWritable(name);
  const { write, ignoreErrors } = modOptions(s.options, ctx);
  const key = s.key && compileExpr(s.key, ctx);
  const doc = compileExpr(s.doc, ctx);
  const oldId = s.oldVar.id;
  const newId = s.newVar.id;
  const apply = (f: unknown[]): { new?: StoredDoc; old?: StoredDoc } => {
    switch (s.op) {
      case 'insert': {
        const d = doc(f);
        if (!isObject(d)) throw invalidDocumentType();
        return coll.insert(d, write);
      }
      case 'remove':
        return coll.remove(keyOf((key as NonNullable<typeof key>)(f), name), write);
      default: {
        const d = doc(f);
        const k = keyOf(key ? key(f) : d, name);
        return s.op === 'update'
          ? coll.update(k, withoutIdentity(d), write)
          : coll.replace(k, withoutIdentity(d), write);
      }
    }
  };
  return (next) => ({
    push(f) {
      const r = attemptWrite(() => apply(f), ignoreErrors, s, name, ctx);
      if (!r) return true;
      f[oldId] = r.old ?? null;
      f[newId] = r.new ?? null;
      return next.push(f);
    },
    end: () => next.end(),
  });
}

/** UPSERT: the first document matching every attribute of the search object is updated, else one is inserted. */
export function upsertStage(s: Statement & { kind: 'upsert' }, ctx: ExecContext): Stage {
  const name = collectionOf(s.collection, ctx);
  const coll = ctx.collection(name);
  ctx.host.assertWritable(name);
  const { write, ignoreErrors } = modOptions(s.options, ctx);
  const search = compileExpr(s.search, ctx);
  const insert = compileExpr(s.insert, ctx);
  const update = compileExpr(s.update, ctx);
  const oldId = s.oldVar.id;
  const newId = s.newVar.id;
  return (next) => ({
    push(f) {
      const example = search(f);
      if (!isObject(example)) throw invalidDocumentType();
      const found = findMatch(coll, example, ctx);
      f[oldId] = found ?? null;
      const r = attemptWrite(
        (): { new?: StoredDoc } => {
          if (found) {
            const patch = withoutIdentity(update(f));
            return s.replace ? coll.replace(found._key, patch, write) : coll.update(found._key, patch, write);
          }
          const d = insert(f);
          if (!isObject(d)) throw invalidDocumentType();
          return coll.insert(d, write);
        },
        ignoreErrors,
        s,
        name,
        ctx,
      );
      if (!r) return true;
      f[newId] = r.new ?? null;
      return next.push(f);
    },
    end: () => next.end(),
  });
}

function findMatch(
  coll: HostCollection,
  example: Record<string, unknown>,
  ctx: ExecContext,
): StoredDoc | undefined {
  const entries = Object.entries(example);
  if (typeof example._key === 'string') {
    ctx.stats.scannedIndex++;
    const d = coll.get(example._key);
    return d && entries.every(([k, v]) => equals(attribute(d, k), v)) ? d : undefined;
  }
  for (const d of coll.all()) {
    ctx.stats.scannedFull++;
    if (entries.every(([k, v]) => equals(attribute(d, k), v))) return d;
  }
  return undefined;
}

/**
 * One document write of a modification statement: counted as executed, or, under
 * `ignoreErrors`, an ArangoDB error is counted as ignored (undefined); any other failure
 * is tagged with its statement (for the error's node trail) and rethrown.
 */
function attemptWrite<T>(
  write: () => T,
  ignoreErrors: boolean,
  statement: Statement,
  collection: string,
  ctx: ExecContext,
): T | undefined {
  let result: T;
  try {
    result = write();
  } catch (err) {
    if (ignoreErrors && err instanceof SimError) {
      ctx.stats.writesIgnored++;
      return undefined;
    }
    if (typeof err === 'object' && err !== null) errorOrigin.set(err, statement);
    throw err;
  }
  ctx.stats.writesExecuted++;
  ctx.modified.add(collection);
  return result;
}
