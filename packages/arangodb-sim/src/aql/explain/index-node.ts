/** use-indexes: turns an EnumerateCollectionNode into the IndexNode explain shows for the chosen index. */
import type { Expr, Statement, Variable } from '../ast.js';
import { exprJson } from '../ast-json.js';
import type { ExecContext } from '../evaluate/context.js';
import { forCollection } from '../evaluate/pipeline.js';
import type { IndexChoice, IndexCondition } from '../index-selection.js';
import type { PlanGraph, PlanNode } from './plan-graph.js';

export function toIndexNode(g: PlanGraph, ctx: ExecContext, node: PlanNode, choice: IndexChoice): void {
  const s = node.statement as Statement & { kind: 'for' };
  const coll = forCollection(s, ctx) as string;
  const count = ctx.host.collection(coll)?.count() ?? 0;
  const { index } = choice;
  const eqOnUnique =
    index.unique &&
    (index.type === 'primary' ||
      index.fields.every((f) => choice.conditions.some((c) => c.path.join('.') === f && c.op === '==')));
  const estimate =
    choice.conditions.length === 0 ? count : eqOnUnique ? 1 : Math.max(1, Math.ceil(count / 10));
  const ref = (e: Expr) => exprJson(e, g.json);
  const condition =
    choice.conditions.length === 0
      ? {}
      : {
          type: 'n-ary or',
          typeID: 63,
          subNodes: [
            {
              type: 'n-ary and',
              typeID: 62,
              subNodes: choice.conditions.map((c) => conditionJson(normalizedCondition(c, s.variable), ref)),
            },
          ],
        };
  const indexJson: Record<string, unknown> = {
    id: index.id.includes('/') ? index.id.slice(index.id.indexOf('/') + 1) : index.id,
    type: index.type,
    name: index.name,
    fields: index.fields,
    selectivityEstimate: 1,
    unique: index.unique,
    sparse: index.sparse,
  };
  if (index.type === 'persistent' || index.type === 'hash' || index.type === 'skiplist') {
    Object.assign(indexJson, { deduplicate: true, estimates: true, cacheEnabled: false });
  }
  node.type = 'IndexNode';
  node.id = g.nextId++;
  node.items = (n) => n * estimate;
  node.body = {
    ...(g.is311 ? {} : { isAsyncPrefetchEnabled: true }),
    outVariable: g.varJson(s.variable),
    ...g.collectionAccess(coll),
    ...(g.is311 ? {} : { strategy: 'document' }),
    needsGatherNodeSort: choice.sorted,
    ...(g.is311 || !choice.sorted
      ? {}
      : {
          sortElements: (choice.sortPaths ?? []).map((path) => ({
            inVariable: g.varJson(s.variable),
            ascending: choice.ascending,
            path,
          })),
        }),
    indexCoversProjections: false,
    ...(g.is311 ? {} : { indexCoversOutProjections: false, indexCoversFilterProjections: false }),
    indexes: [indexJson],
    condition,
    allCoveredByOneIndex: false,
    sorted: true,
    ascending: choice.ascending,
    ...(g.is311 && { reverse: !choice.ascending }),
    evalFCalls: true,
    waitForSync: false,
    limit: 0,
    ...(g.is311 ? {} : { isLateMaterialized: false }),
    lookahead: 1,
  };
  g.rules.add('use-indexes');
}

/** The condition as the index sees it: `loopVar.path op value`, with LET aliases resolved. */
function normalizedCondition(c: IndexCondition, loopVar: Variable): Expr {
  let left: Expr = { kind: 'ref', variable: loopVar };
  for (const name of c.path) left = { kind: 'attr', object: left, name };
  return { kind: 'binary', op: c.op, left, right: c.value };
}

/** Index conditions print as `compare ==` with `excludesNull`, attribute first. */
function conditionJson(source: Expr, render: (e: Expr) => Record<string, unknown>): Record<string, unknown> {
  const n = render(source);
  if (typeof n.type === 'string' && n.type.startsWith('compare')) {
    const { type, typeID, subNodes, ...rest } = n;
    return { type, typeID, excludesNull: false, ...rest, subNodes };
  }
  return n;
}
