/** Document and attribute functions. */
import { isObject, toStr, truthy } from '../evaluate/values.js';
import { type FunctionContext, type FunctionTable, invalidArg, VARIADIC } from './registry.js';

function names(args: unknown[]): string[] {
  return args.flatMap((a) => (Array.isArray(a) ? a : [a])).map(toStr);
}

function lookup(ctx: FunctionContext, collection: string | undefined, id: unknown): unknown {
  if (typeof id !== 'string') return null;
  let coll = collection;
  let key = id;
  const slash = id.indexOf('/');
  if (slash >= 0) {
    if (coll !== undefined && id.slice(0, slash) !== coll) return null;
    coll = id.slice(0, slash);
    key = id.slice(slash + 1);
  }
  if (coll === undefined) return null;
  return ctx.host.collection(coll)?.get(key) ?? null;
}

function mergeRecursive(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? mergeRecursive(prev, v) : v;
  }
  return out;
}

export const documentFunctions: FunctionTable = {
  HAS: { min: 2, max: 2, fn: ([doc, attr]) => isObject(doc) && Object.hasOwn(doc, toStr(attr)) },
  ATTRIBUTES: {
    min: 1,
    max: 3,
    fn: ([doc, removeSystem, sort], ctx) => {
      if (!isObject(doc)) return invalidArg(ctx, 'ATTRIBUTES');
      let keys = Object.keys(doc);
      if (truthy(removeSystem)) keys = keys.filter((k) => !k.startsWith('_'));
      return truthy(sort) ? keys.sort() : keys;
    },
  },
  KEYS: {
    min: 1,
    max: 3,
    fn: ([doc, removeSystem, sort], ctx) => {
      if (!isObject(doc)) return invalidArg(ctx, 'KEYS');
      let keys = Object.keys(doc);
      if (truthy(removeSystem)) keys = keys.filter((k) => !k.startsWith('_'));
      return truthy(sort) ? keys.sort() : keys;
    },
  },
  VALUES: {
    min: 1,
    max: 2,
    fn: ([doc, removeSystem], ctx) => {
      if (!isObject(doc)) return invalidArg(ctx, 'VALUES');
      return Object.entries(doc)
        .filter(([k]) => !truthy(removeSystem) || !k.startsWith('_'))
        .map(([, v]) => v);
    },
  },
  MERGE: {
    min: 1,
    max: VARIADIC,
    fn: (args, ctx) => {
      const docs = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
      if (!docs.every(isObject)) return invalidArg(ctx, 'MERGE');
      return Object.assign({}, ...docs);
    },
  },
  MERGE_RECURSIVE: {
    min: 1,
    max: VARIADIC,
    fn: (args, ctx) => {
      if (!args.every(isObject)) return invalidArg(ctx, 'MERGE_RECURSIVE');
      return (args as Record<string, unknown>[]).reduce(mergeRecursive, {});
    },
  },
  UNSET: {
    min: 1,
    max: VARIADIC,
    fn: ([doc, ...rest], ctx) => {
      if (!isObject(doc)) return invalidArg(ctx, 'UNSET');
      const drop = new Set(names(rest));
      return Object.fromEntries(Object.entries(doc).filter(([k]) => !drop.has(k)));
    },
  },
  KEEP: {
    min: 1,
    max: VARIADIC,
    fn: ([doc, ...rest], ctx) => {
      if (!isObject(doc)) return invalidArg(ctx, 'KEEP');
      const keep = new Set(names(rest));
      return Object.fromEntries(Object.entries(doc).filter(([k]) => keep.has(k)));
    },
  },
  DOCUMENT: {
    min: 1,
    max: 2,
    fn: (args, ctx) => {
      const [collection, ids] = args.length === 2 ? [toStr(args[0]), args[1]] : [undefined, args[0]];
      if (Array.isArray(ids)) return ids.map((id) => lookup(ctx, collection, id)).filter((d) => d !== null);
      return lookup(ctx, collection, ids);
    },
  },
  PARSE_IDENTIFIER: {
    min: 1,
    max: 1,
    fn: ([v], ctx) => {
      const id = isObject(v) ? v._id : v;
      if (typeof id !== 'string' || !id.includes('/')) return invalidArg(ctx, 'PARSE_IDENTIFIER');
      const slash = id.indexOf('/');
      return { collection: id.slice(0, slash), key: id.slice(slash + 1) };
    },
  },
};
