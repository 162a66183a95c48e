/** COLLECT: grouping, aggregation, INTO and WITH COUNT, emitting groups sorted by their keys as ArangoDB does. */
import type { Statement, Variable } from './ast.js';
import type { ExecContext, Frame } from './evaluate/context.js';
import { ROW_BYTES } from './evaluate/context.js';
import { type Compiled, compileExpr } from './evaluate/expression.js';
import type { Stage } from './evaluate/pipeline.js';
import { compare, valueKey } from './evaluate/values.js';
import { getFunction } from './functions/index.js';

type CollectStatement = Statement & { kind: 'collect' };

interface Group {
  keys: unknown[];
  count: number;
  values: unknown[][];
  into: unknown[];
}

export function collectStage(s: CollectStatement, ctx: ExecContext): Stage {
  const groupExprs = s.groups.map((g) => compileExpr(g.expr, ctx));
  const groupIds = s.groups.map((g) => g.variable.id);
  const aggArgs = s.aggregates.map((a) => compileExpr(a.arg, ctx));
  const into = s.into && compileInto(s.into, s.visible, ctx);
  const countId = s.countInto?.id;
  const single = groupExprs.length === 1 ? groupExprs[0] : undefined;

  return (next, run) => {
    const groups = new Map<unknown, Group>();
    let template: Frame | undefined;
    return {
      push(f) {
        template ??= f.slice();
        let keys: unknown[];
        let mapKey: unknown;
        if (single) {
          // The common `COLLECT x = expr [WITH COUNT INTO n]` avoids allocating a key array per row.
          const v = single(f) ?? null;
          mapKey = valueKey(v);
          let g = groups.get(mapKey);
          if (!g) {
            g = { keys: [v], count: 0, values: aggArgs.map(() => []), into: [] };
            groups.set(mapKey, g);
            ctx.charge(ROW_BYTES);
          }
          addRow(g, f);
          return true;
        }
        keys = groupExprs.map((e) => e(f) ?? null);
        mapKey = valueKey(keys);
        let g = groups.get(mapKey);
        if (!g) {
          g = { keys, count: 0, values: aggArgs.map(() => []), into: [] };
          groups.set(mapKey, g);
          ctx.charge(ROW_BYTES);
        }
        addRow(g, f);
        return true;
      },
      end() {
        const base = template ?? run.initial;
        let list = [...groups.values()];
        if (list.length === 0 && groupExprs.length === 0) {
          list = [{ keys: [], count: 0, values: aggArgs.map(() => []), into: [] }];
        }
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
            f[a.variable.id] = aggregate(a.fn, g.values[i] as unknown[], g.count, ctx);
          });
          if (s.into) f[s.into.variable.id] = g.into;
          if (countId !== undefined) f[countId] = g.count;
          if (!next.push(f)) break;
        }
        ctx.release(groups.size * ROW_BYTES);
        next.end();
      },
    };
  };

  function addRow(g: Group, f: Frame): void {
    g.count++;
    for (let i = 0; i < aggArgs.length; i++) (g.values[i] as unknown[]).push((aggArgs[i] as Compiled)(f));
    if (into) g.into.push(into(f));
  }
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

function aggregate(fn: string, values: unknown[], count: number, ctx: ExecContext): unknown {
  switch (fn) {
    case 'LENGTH':
    case 'COUNT':
      return count;
    case 'PUSH':
      return values;
    default:
      return (getFunction(fn) as NonNullable<ReturnType<typeof getFunction>>).fn([values], ctx);
  }
}
