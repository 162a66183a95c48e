/** Array functions, also used as COLLECT AGGREGATE implementations. */
import { compare, equals, finite, toNumber, truthy } from '../evaluate/values.js';
import { type FunctionTable, invalidArg, VARIADIC } from './registry.js';

function length(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'string') return [...v].length;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return String(v).length;
  return Object.keys(v as object).length;
}

export function unique(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  const seenPrimitive = new Set<unknown>();
  for (const v of values) {
    if (typeof v !== 'object' || v === null) {
      if (seenPrimitive.has(v ?? null)) continue;
      seenPrimitive.add(v ?? null);
      out.push(v ?? null);
    } else if (!out.some((o) => equals(o, v))) out.push(v);
  }
  return out;
}

function sum(values: unknown[]): number | null {
  let s = 0;
  for (const v of values) if (v !== null && v !== undefined) s += toNumber(v);
  return finite(s);
}

function nonNull(values: unknown[]): unknown[] {
  return values.filter((v) => v !== null && v !== undefined);
}

function minMax(values: unknown[], sign: 1 | -1): unknown {
  let best: unknown = null;
  let found = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (!found || compare(v, best) * sign > 0) best = v;
    found = true;
  }
  return best;
}

function flatten(values: unknown[], depth: number): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v) && depth > 0) out.push(...flatten(v, depth - 1));
    else out.push(v);
  }
  return out;
}

/** Wraps an implementation that needs its first argument to be an array. */
function onArray(name: string, min: number, max: number, fn: (arr: unknown[], rest: unknown[]) => unknown) {
  return {
    min,
    max,
    fn: (args: unknown[], ctx: Parameters<FunctionTable[string]['fn']>[1]) => {
      const [arr, ...rest] = args;
      if (!Array.isArray(arr)) return invalidArg(ctx, name);
      return fn(arr, rest);
    },
  };
}

export const arrayFunctions: FunctionTable = {
  LENGTH: { min: 1, max: 1, fn: ([v]) => length(v) },
  COUNT: { min: 1, max: 1, fn: ([v]) => length(v) },
  SUM: onArray('SUM', 1, 1, sum),
  AVG: onArray('AVG', 1, 1, (a) => {
    const v = nonNull(a);
    return v.length === 0 ? null : finite((sum(v) ?? 0) / v.length);
  }),
  AVERAGE: onArray('AVERAGE', 1, 1, (a) => {
    const v = nonNull(a);
    return v.length === 0 ? null : finite((sum(v) ?? 0) / v.length);
  }),
  MIN: onArray('MIN', 1, 1, (a) => minMax(a, -1)),
  MAX: onArray('MAX', 1, 1, (a) => minMax(a, 1)),
  UNIQUE: onArray('UNIQUE', 1, 1, unique),
  SORTED_UNIQUE: onArray('SORTED_UNIQUE', 1, 1, (a) => unique(a).sort(compare)),
  SORTED: onArray('SORTED', 1, 1, (a) => [...a].sort(compare)),
  COUNT_DISTINCT: onArray('COUNT_DISTINCT', 1, 1, (a) => unique(a).length),
  COUNT_UNIQUE: onArray('COUNT_UNIQUE', 1, 1, (a) => unique(a).length),
  FIRST: onArray('FIRST', 1, 1, (a) => a[0] ?? null),
  LAST: onArray('LAST', 1, 1, (a) => a[a.length - 1] ?? null),
  NTH: onArray('NTH', 2, 2, (a, [i]) => {
    const n = toNumber(i);
    return n >= 0 && Number.isInteger(n) ? (a[n] ?? null) : null;
  }),
  PUSH: onArray('PUSH', 2, 3, (a, [v, uniqueOnly]) =>
    truthy(uniqueOnly) && a.some((x) => equals(x, v)) ? [...a] : [...a, v],
  ),
  APPEND: onArray('APPEND', 2, 3, (a, [values, uniqueOnly]) => {
    const add = Array.isArray(values) ? values : [values];
    if (!truthy(uniqueOnly)) return [...a, ...add];
    return unique([...a, ...add]);
  }),
  FLATTEN: onArray('FLATTEN', 1, 2, (a, [depth]) => flatten(a, depth === undefined ? 1 : toNumber(depth))),
  REVERSE: {
    min: 1,
    max: 1,
    fn: ([v], ctx) => {
      if (typeof v === 'string') return [...v].reverse().join('');
      if (!Array.isArray(v)) return invalidArg(ctx, 'REVERSE');
      return [...v].reverse();
    },
  },
  SLICE: onArray('SLICE', 2, 3, (a, [start, len]) => {
    let s = toNumber(start);
    if (s < 0) s = Math.max(0, a.length + s);
    if (len === undefined || len === null) return a.slice(s);
    const l = toNumber(len);
    return l < 0 ? a.slice(s, a.length + l) : a.slice(s, s + l);
  }),
  POSITION: onArray('POSITION', 2, 3, (a, [v, returnIndex]) => {
    const i = a.findIndex((x) => equals(x, v));
    return truthy(returnIndex) ? i : i >= 0;
  }),
  RANGE: {
    min: 2,
    max: 3,
    fn: ([from, to, step]) => {
      const a = toNumber(from);
      const b = toNumber(to);
      const s = step === undefined || step === null ? (a <= b ? 1 : -1) : toNumber(step);
      if (s === 0 || (b - a) * s < 0) return [];
      const out: number[] = [];
      for (let x = a; s > 0 ? x <= b : x >= b; x += s) out.push(x);
      return out;
    },
  },
  UNION: {
    min: 1,
    max: VARIADIC,
    fn: (args, ctx) => {
      if (!args.every(Array.isArray)) return invalidArg(ctx, 'UNION');
      return (args as unknown[][]).flat();
    },
  },
  UNION_DISTINCT: {
    min: 1,
    max: VARIADIC,
    fn: (args, ctx) => {
      if (!args.every(Array.isArray)) return invalidArg(ctx, 'UNION_DISTINCT');
      return unique((args as unknown[][]).flat());
    },
  },
  INTERSECTION: {
    min: 1,
    max: VARIADIC,
    fn: (args, ctx) => {
      if (!args.every(Array.isArray)) return invalidArg(ctx, 'INTERSECTION');
      const [first, ...rest] = args as unknown[][];
      return unique(first as unknown[]).filter((v) => rest.every((r) => r.some((x) => equals(x, v))));
    },
  },
  MINUS: {
    min: 1,
    max: VARIADIC,
    fn: (args, ctx) => {
      if (!args.every(Array.isArray)) return invalidArg(ctx, 'MINUS');
      const [first, ...rest] = args as unknown[][];
      return unique(first as unknown[]).filter((v) => !rest.some((r) => r.some((x) => equals(x, v))));
    },
  },
  ZIP: {
    min: 2,
    max: 2,
    fn: ([keys, values], ctx) => {
      if (!Array.isArray(keys) || !Array.isArray(values) || keys.length !== values.length) {
        return invalidArg(ctx, 'ZIP');
      }
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        out[typeof k === 'string' ? k : JSON.stringify(k)] = values[i];
      });
      return out;
    },
  },
};
