/** The plan being built: its nodes, variables and applied rules, and how it renders as explain JSON. */
import type { Expr, Statement, Variable } from '../ast.js';
import type { JsonOptions } from '../ast-json.js';
import type { ExplainPlan } from '../types.js';

export interface PlanNodeRef {
  id: number;
  type: string;
}

export interface PlanNode extends PlanNodeRef {
  /** Variable ids the node reads, for unused-calculation removal. */
  uses: number[];
  defines?: number;
  /** The expression of a CalculationNode. */
  expr?: Expr;
  /** A SubqueryEndNode emits as many rows as entered its SubqueryStartNode. */
  itemsFrom?: PlanNode;
  items: (input: number) => number;
  body: Record<string, unknown>;
  statement?: Statement;
}

/** The order in which ArangoDB's optimizer runs (and lists) the rules the simulator applies. */
const RULE_ORDER = [
  'move-calculations-up',
  'remove-unnecessary-filters',
  'remove-unnecessary-calculations',
  'use-indexes',
  'remove-filter-covered-by-index',
  'use-index-for-sort',
  'remove-unnecessary-calculations-2',
  'move-calculations-down',
  'reduce-extraction-to-projection',
  'optimize-projections',
  'remove-unnecessary-calculations-4',
  'sort-limit',
  'splice-subqueries',
  'async-prefetch',
];

export class PlanGraph {
  readonly nodes: PlanNode[] = [];
  readonly rules = new Set<string>();
  nextId = 1;
  private nextVar: number;
  private readonly temps: Variable[] = [];
  /** Loop variables holding whole documents (no projections). */
  readonly fullDocVars = new Set<number>();
  /** Values of temporaries the optimizer folded to constants. */
  readonly constants = new Map<number, unknown>();
  readonly json: JsonOptions;

  constructor(
    firstTemporary: number,
    readonly is311: boolean,
    private readonly databaseName: string,
  ) {
    this.nextVar = firstTemporary;
    this.json = { typeIds: true, subqueryReference: !is311 };
  }

  temp(): Variable {
    const v: Variable = { id: this.nextVar++, name: '', user: false };
    v.name = String(v.id);
    this.temps.push(v);
    return v;
  }

  varJson(v: Variable): Record<string, unknown> {
    return { id: v.id, name: v.name, isFullDocumentFromCollection: this.fullDocVars.has(v.id) };
  }

  collectionAccess(coll: string): Record<string, unknown> {
    return {
      projections: [],
      filterProjections: [],
      count: false,
      producesResult: true,
      readOwnWrites: false,
      useCache: true,
      maxProjections: 5,
      ...(this.is311 && { database: this.databaseName }),
      collection: coll,
      satellite: false,
      isSatellite: false,
      isSatelliteOf: null,
    };
  }

  add(
    type: string,
    uses: number[],
    items: (n: number) => number,
    body: Record<string, unknown>,
    statement?: Statement,
  ): PlanNode {
    const node: PlanNode = { id: this.nextId++, type, uses, items, body, ...(statement && { statement }) };
    this.nodes.push(node);
    return node;
  }

  render(
    userVariables: Variable[],
    collections: Map<string, 'read' | 'write'>,
    modification: boolean,
  ): ExplainPlan {
    let cost = 0;
    let items = 1;
    const itemsIn = new Map<PlanNode, number>();
    const nodes = this.nodes.map((n, i) => {
      itemsIn.set(n, items);
      items = i === 0 ? 1 : n.itemsFrom ? (itemsIn.get(n.itemsFrom) ?? items) : n.items(items);
      cost = i === 0 ? 1 : cost + Math.max(items, 1);
      const deps = i === 0 ? [] : [(this.nodes[i - 1] as PlanNode).id];
      return {
        type: n.type,
        dependencies: deps,
        id: n.id,
        estimatedCost: cost,
        estimatedNrItems: items,
        ...n.body,
      };
    });
    // 3.12 prefetches asynchronously only in plans without LIMIT or writes.
    const prefetch = !this.is311 && !modification && !this.nodes.some((n) => n.type === 'LimitNode');
    if (prefetch) this.rules.add('async-prefetch');
    else for (const n of nodes) delete (n as { isAsyncPrefetchEnabled?: boolean }).isAsyncPrefetchEnabled;
    const variables = [...userVariables, ...this.temps]
      .sort((a, b) => b.id - a.id)
      .map((v) => ({
        ...this.varJson(v),
        ...(this.constants.has(v.id) && { constantValue: this.constants.get(v.id) }),
      }));
    const collectionList = [...collections.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, type]) => ({ name, type }));
    const rules = RULE_ORDER.filter((r) => this.rules.has(r));
    const plan: ExplainPlan & { asyncPrefetchNodes?: number } = this.is311
      ? {
          nodes,
          rules,
          collections: collectionList,
          variables,
          estimatedCost: cost,
          estimatedNrItems: items,
          isModificationQuery: modification,
        }
      : {
          nodes,
          rules,
          asyncPrefetchNodes: nodes.filter(
            (n) => (n as { isAsyncPrefetchEnabled?: boolean }).isAsyncPrefetchEnabled,
          ).length,
          estimatedCost: cost,
          estimatedNrItems: items,
          collections: collectionList,
          variables,
          isModificationQuery: modification,
        };
    return plan;
  }
}
