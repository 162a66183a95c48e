/** COLLECT: grouping, aggregation, INTO and WITH COUNT, emitting groups sorted by their keys as ArangoDB does. */
import type { Statement, Variable } from './ast.js';
import type { ExecContext, Frame } from './evaluate/context.js';
import { ROW_BYTES } from './evaluate/context.js';
import { type Compiled, compileExpr } from './evaluate/expression.js';
import type { Stage } from './evaluate/pipeline.js';
import { compare, finite, toNumber, valueKey } from './evaluate/values.js';
import type { FunctionContext } from './functions/index.js';
import { getFunction } from './functions/index.js';

type CollectStatement = Statement & { kind: 'collect' };

/** One AGGREGATE expression's running state for one group. */
interface Accumulator {
  add(v: unknown): void;
  result(): unknown;
}

interface Group {
  keys: unknown[];
  count: number;
  accumulators: Accumulator[];
  into: unknown[];
}

/**
 * Running aggregates, so `AGGREGATE s = SUM(x)` over a million rows keeps a number per group, not a
 * million values. They match the array functions of the same name (nulls ignored; empty → null, SUM → 0).
 */
function accumulator(fn: string, ctx: FunctionContext): () => Accumulator {
  switch (fn) {
    case 'LENGTH':
    case 'COUNT':
      return () => {
        let n = 0;
        return { add: () => void n++, result: () => n };
      };
    case 'SUM':
      return () => {
        let sum = 0;
        return {
          add: (v) => {
            if (v !== null && v !== undefined) sum += toNumber(v);
          },
          result: () => finite(sum),
        };
      };
    case 'AVG':
    case 'AVERAGE':
      return () => {
        let sum = 0;
        let n = 0;
        return {
          add: (v) => {
            if (v === null || v === undefined) return;
            sum += toNumber(v);
            n++;
          },
          result: () => (n === 0 ? null : finite(sum / n)),
        };
      };
    case 'MIN':
    case 'MAX': {
      const sign = fn === 'MIN' ? -1 : 1;
      return () => {
        let best: unknown = null;
        return {
          add: (v) => {
            if (v === null || v === undefined) return;
            if (best === null || compare(v, best) * sign > 0) best = v;
          },
          result: () => best,
        };
      };
    }
    default: {
      // PUSH, UNIQUE, SORTED_UNIQUE, COUNT_DISTINCT, COUNT_UNIQUE need the values themselves.
      const finish = getFunction(fn)?.fn;
      return () => {
        const values: unknown[] = [];
        return {
          add: (v) => void values.push(v),
          result: () => (fn === 'PUSH' || !finish ? values : finish([values], ctx)),
        };
      };
    }
  }
}

export function collectStage(s: CollectStatement, ctx: ExecContext): Stage {
  const groupExprs = s.groups.map((g) => compileExpr(g.expr, ctx));
  const groupIds = s.groups.map((g) => g.variable.id);
  const aggArgs = s.aggregates.map((a) => compileExpr(a.arg, ctx));
  const newAccumulators = s.aggregates.map((a) => accumulator(a.fn, ctx));
  const into = s.into && compileInto(s.into, s.visible, ctx);
  const countId = s.countInto?.id;
  const single = groupExprs.length === 1 ? groupExprs[0] : undefined;
  const newGroup = (keys: unknown[]): Group => {
    ctx.charge(ROW_BYTES);
    return { keys, count: 0, accumulators: newAccumulators.map((make) => make()), into: [] };
  };

  return (next, run) => {
    const groups = new Map<unknown, Group>();
    let template: Frame | undefined;
    const addRow = (g: Group, f: Frame): void => {
      g.count++;
      for (let i = 0; i < aggArgs.length; i++)
        (g.accumulators[i] as Accumulator).add((aggArgs[i] as Compiled)(f));
      if (into) {
        g.into.push(into(f));
        ctx.charge(ROW_BYTES);
      }
    };
    return {
      push(f) {
        template ??= f.slice();
        if (single) {
          // The common `COLLECT x = expr [WITH COUNT INTO n]` avoids allocating a key array per row.
          const v = single(f) ?? null;
          const mapKey = valueKey(v);
          let g = groups.get(mapKey);
          if (!g) {
            g = newGroup([v]);
            groups.set(mapKey, g);
          }
          addRow(g, f);
          return true;
        }
        const keys = groupExprs.map((e) => e(f) ?? null);
        const mapKey = valueKey(keys);
        let g = groups.get(mapKey);
        if (!g) {
          g = newGroup(keys);
          groups.set(mapKey, g);
        }
        addRow(g, f);
        return true;
      },
      end() {
        const base = template ?? run.initial;
        // Without group keys there is exactly one output row, even for empty input.
        const list = groups.size === 0 && groupExprs.length === 0 ? [newGroup([])] : [...groups.values()];
        list.sort((a, b) => {
          for (let i = 0; i < a.keys.length; i++) {
            const c = compare(a.keys[i], b.keys[i]);
            if (c !== 0) return c;
          }
          return 0;
        });
        for (const g of list) {
          const f = base.slice();
          groupIds.forEach((id, i) => {
            f[id] = g.keys[i];
          });
          s.aggregates.forEach((a, i) => {
            f[a.variable.id] = (g.accumulators[i] as Accumulator).result();
          });
          if (s.into) f[s.into.variable.id] = g.into;
          if (countId !== undefined) f[countId] = g.count;
          if (!next.push(f)) break;
        }
        ctx.release(list.reduce((bytes, g) => bytes + (1 + g.into.length) * ROW_BYTES, 0));
        next.end();
      },
    };
  };
}

function compileInto(
  into: NonNullable<CollectStatement['into']>,
  visible: Variable[],
  ctx: ExecContext,
): (f: Frame) => unknown {
  if (into.expr) return compileExpr(into.expr, ctx);
  const vars = into.keep ?? visible;
  return (f) => {
    const o: Record<string, unknown> = {};
    for (const v of vars) o[v.name] = f[v.id] ?? null;
    return o;
  };
}
