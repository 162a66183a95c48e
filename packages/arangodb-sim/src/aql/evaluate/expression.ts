/** Compiles expression trees into closures over a frame, so the hot loop does no tree walking. */
import type { Expr } from '../ast.js';
import { bindParamType, collectionInExpression, ERR } from '../errors.js';
import { getFunction } from '../functions/index.js';
import { likeToRegExp, regexTest } from '../functions/string.js';
import { SimError } from '../host.js';
import type { ExecContext, Frame } from './context.js';
import { runSubquery } from './pipeline.js';
import { compare, equals, finite, isObject, toNumber, toStr, truthy } from './values.js';

export type Compiled = (f: Frame) => unknown;

export function attribute(o: unknown, name: string): unknown {
  if (!isObject(o) || !Object.hasOwn(o, name)) return null;
  return o[name] ?? null;
}

export function indexed(o: unknown, i: unknown): unknown {
  if (Array.isArray(o)) {
    if (typeof i !== 'number' && typeof i !== 'string') return null;
    let n = Math.trunc(toNumber(i));
    if (n < 0) n += o.length;
    return o[n] ?? null;
  }
  if (isObject(o)) return attribute(o, toStr(i));
  return null;
}

/** Integer range `a..b`, ascending or descending. */
export function range(from: unknown, to: unknown): number[] {
  const a = Math.trunc(toNumber(from));
  const b = Math.trunc(toNumber(to));
  const out: number[] = [];
  if (a <= b) for (let i = a; i <= b; i++) out.push(i);
  else for (let i = a; i >= b; i--) out.push(i);
  return out;
}

/** Resolves a `@@coll` (or `@coll` used as a collection) bind parameter to a collection name. */
export function dataSourceParam(ctx: ExecContext, name: string): string {
  const v = ctx.bindVars[name];
  if (typeof v !== 'string' || v === '') throw bindParamType(name);
  return v;
}

export function compileExpr(e: Expr, ctx: ExecContext): Compiled {
  switch (e.kind) {
    case 'value': {
      const v = e.value;
      return () => v;
    }
    case 'param': {
      // engine.ts admits data-source parameters only as FOR sources and LENGTH/COUNT arguments.
      if (e.name.startsWith('@')) throw collectionInExpression(dataSourceParam(ctx, e.name));
      const v = ctx.bindVars[e.name] ?? null;
      return () => v;
    }
    case 'collection':
      throw collectionInExpression(e.name);
    case 'array': {
      const items = e.items.map((i) => compileExpr(i, ctx));
      return (f) => items.map((i) => i(f));
    }
    case 'object': {
      const entries = e.entries.map((en) => ({
        key: typeof en.key === 'string' ? en.key : compileExpr(en.key, ctx),
        value: compileExpr(en.value, ctx),
      }));
      return (f) => {
        const o: Record<string, unknown> = {};
        for (const en of entries) {
          const k = typeof en.key === 'string' ? en.key : toStr(en.key(f));
          if (!Object.hasOwn(o, k)) o[k] = en.value(f);
        }
        return o;
      };
    }
    case 'ref': {
      const id = e.variable.id;
      return (f) => f[id] ?? null;
    }
    case 'attr': {
      const obj = compileExpr(e.object, ctx);
      const name = e.name;
      return (f) => attribute(obj(f), name);
    }
    case 'index': {
      const obj = compileExpr(e.object, ctx);
      const idx = compileExpr(e.index, ctx);
      return (f) => indexed(obj(f), idx(f));
    }
    case 'expand': {
      const src = compileExpr(e.source, ctx);
      const filter = e.filter && compileExpr(e.filter, ctx);
      const offset = e.limit && compileExpr(e.limit.offset, ctx);
      const count = e.limit && compileExpr(e.limit.count, ctx);
      const map = compileExpr(e.map, ctx);
      const it = e.iterator.id;
      return (f) => {
        const arr = src(f);
        if (!Array.isArray(arr)) return [];
        const out: unknown[] = [];
        let skip = offset ? toNumber(offset(f)) : 0;
        let take = count ? toNumber(count(f)) : Number.POSITIVE_INFINITY;
        for (const x of arr) {
          if (take <= 0) break;
          f[it] = x;
          if (filter && !truthy(filter(f))) continue;
          if (skip > 0) {
            skip--;
            continue;
          }
          take--;
          out.push(map(f));
        }
        return out;
      };
    }
    case 'call':
      return compileCall(e.name, e.args, ctx);
    case 'unary': {
      const x = compileExpr(e.operand, ctx);
      if (e.op === '!') return (f) => !truthy(x(f));
      if (e.op === '-') return (f) => finite(-toNumber(x(f)));
      return (f) => toNumber(x(f));
    }
    case 'binary':
      return compileBinary(e.op, compileExpr(e.left, ctx), compileExpr(e.right, ctx), ctx);
    case 'ternary': {
      const c = compileExpr(e.condition, ctx);
      const t = e.whenTrue && compileExpr(e.whenTrue, ctx);
      const o = compileExpr(e.otherwise, ctx);
      return (f) => {
        const cv = c(f);
        if (truthy(cv)) return t ? t(f) : cv;
        return o(f);
      };
    }
    case 'range': {
      const a = compileExpr(e.from, ctx);
      const b = compileExpr(e.to, ctx);
      return (f) => range(a(f), b(f));
    }
    case 'subquery': {
      const body = e.body;
      return (f) => runSubquery(body, ctx, f);
    }
  }
}

function compileCall(name: string, args: Expr[], ctx: ExecContext): Compiled {
  const counted = args[0];
  if (
    (name === 'LENGTH' || name === 'COUNT') &&
    counted &&
    (counted.kind === 'collection' || counted.kind === 'param')
  ) {
    // LENGTH(collection) counts documents without reading them, as ArangoDB does.
    if (counted.kind === 'collection' || counted.name.startsWith('@')) {
      const coll = counted.kind === 'collection' ? counted.name : dataSourceParam(ctx, counted.name);
      return () => ctx.collection(coll).count();
    }
  }
  const fn = getFunction(name);
  if (!fn) throw new SimError(400, ERR.functionUnknown, `usage of unknown function '${name}()'`);
  const compiled = args.map((a) => compileExpr(a, ctx));
  const impl = fn.fn;
  return (f) =>
    impl(
      compiled.map((c) => c(f)),
      ctx,
    ) ?? null;
}

function compileBinary(op: string, l: Compiled, r: Compiled, ctx: ExecContext): Compiled {
  switch (op) {
    case '&&':
      return (f) => {
        const a = l(f);
        return truthy(a) ? r(f) : a;
      };
    case '||':
      return (f) => {
        const a = l(f);
        return truthy(a) ? a : r(f);
      };
    case '==':
      return (f) => equals(l(f), r(f));
    case '!=':
      return (f) => !equals(l(f), r(f));
    case '<':
      return (f) => compare(l(f), r(f)) < 0;
    case '<=':
      return (f) => compare(l(f), r(f)) <= 0;
    case '>':
      return (f) => compare(l(f), r(f)) > 0;
    case '>=':
      return (f) => compare(l(f), r(f)) >= 0;
    case 'in':
      return (f) => contains(r(f), l(f));
    case 'not in':
      return (f) => !contains(r(f), l(f));
    case 'like':
      return (f) => likeToRegExp(toStr(r(f)), false).test(toStr(l(f)));
    case 'not like':
      return (f) => !likeToRegExp(toStr(r(f)), false).test(toStr(l(f)));
    case '=~':
      return (f) => regexTest(ctx, l(f), r(f), false);
    case '!~':
      return (f) => {
        const m = regexTest(ctx, l(f), r(f), false);
        return m === null ? null : !m;
      };
    case '+':
      return (f) => finite(toNumber(l(f)) + toNumber(r(f)));
    case '-':
      return (f) => finite(toNumber(l(f)) - toNumber(r(f)));
    case '*':
      return (f) => finite(toNumber(l(f)) * toNumber(r(f)));
    case '/':
    case '%':
      return (f) => {
        const d = toNumber(r(f));
        if (d === 0) {
          ctx.warn(ERR.divisionByZero, 'division by zero');
          return null;
        }
        const n = toNumber(l(f));
        return finite(op === '/' ? n / d : n % d);
      };
  }
  throw new SimError(500, 4, `internal error: unknown operator ${op}`);
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (!Array.isArray(haystack)) return false;
  for (const x of haystack) if (equals(x, needle)) return true;
  return false;
}
