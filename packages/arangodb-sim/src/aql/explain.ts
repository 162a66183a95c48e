/**
 * Builds the execution plan ArangoDB's explain would show for the supported subset: the nodes the
 * planner creates from the query (numbered the same way), after the optimizer rules the simulator
 * mimics (index selection, covered-filter and unused-calculation removal, constant filters).
 */

import type { Expr, Query, Statement, Variable } from './ast.js';
import { exprJson, type JsonOptions } from './ast-json.js';
import type { ExecContext } from './evaluate/context.js';
import { compileExpr } from './evaluate/expression.js';
import { collectionOf } from './evaluate/modify.js';
import { forCollection } from './evaluate/pipeline.js';
import { truthy } from './evaluate/values.js';
import {
  exprChildren,
  type IndexChoice,
  type IndexCondition,
  statementExprs,
  visitExpr,
} from './index-selection.js';
import { sortLimit } from './sort-limit.js';
import type { ExplainPlan } from './types.js';

export interface PlanNodeRef {
  id: number;
  type: string;
}

interface PlanNode extends PlanNodeRef {
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

export interface BuiltPlan {
  plan: ExplainPlan;
  /** Plan nodes in order with the statement each was made for (calculations of LET included). */
  nodes: (PlanNodeRef & { statement?: Statement })[];
  cacheable: boolean;
  /** The main plan node of each top-level statement, in pipeline order, for error messages. */
  chain: { statement: Statement; node: PlanNodeRef }[];
}

const NON_CACHEABLE = new Set(['DATE_NOW', 'RAND', 'DOCUMENT']);

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

/** ArangoDB's default `maxProjections`. */
const MAX_PROJECTIONS = 5;

/** Nodes a calculation may sink below when they do not read its result. */
const SINKABLE_PAST = new Set(['LimitNode', 'FilterNode', 'SortNode']);

/** True if `varId` is read only as `var.attr`; collects the attribute names. */
function attributeUsesOnly(e: Expr, varId: number, paths: Set<string>): boolean {
  if (e.kind === 'attr' && e.object.kind === 'ref' && e.object.variable.id === varId) {
    paths.add(e.name);
    return true;
  }
  if (e.kind === 'ref') return e.variable.id !== varId;
  return exprChildren(e).every((c) => attributeUsesOnly(c, varId, paths));
}

/** Loops a loop-invariant calculation may be hoisted above. */
const MOVABLE_PAST = new Set(['EnumerateCollectionNode', 'EnumerateListNode', 'IndexNode']);

/** Variables a loop node writes (its statement's loop variable). */
function definedBy(node: PlanNode): number[] {
  const s = node.statement;
  return s?.kind === 'for' ? [s.variable.id] : [];
}

export function buildPlan(query: Query, ctx: ExecContext, version: string): BuiltPlan {
  return new PlanBuilder(query, ctx, version).build();
}

class PlanBuilder {
  private nextId = 1;
  private nextVar: number;
  private readonly temps: Variable[] = [];
  private readonly nodes: PlanNode[] = [];
  private readonly rules = new Set<string>();
  private readonly collections = new Map<string, 'read' | 'write'>();
  private readonly chain: { statement: Statement; node: PlanNodeRef }[] = [];
  private readonly is311: boolean;
  private readonly json: JsonOptions;
  private readonly fullDocVars = new Set<number>();
  private cacheable = true;
  private readonly pendingIndex: { node: PlanNode; choice: IndexChoice }[] = [];
  /** The statement before each statement in its body (COLLECT checks for a SORT on its group keys). */
  private readonly previous = new Map<Statement, Statement>();
  /** The next statement that survives index selection (SORT checks for a LIMIT to constrain it). */
  private readonly following = new Map<Statement, Statement>();
  private modification = false;

  constructor(
    private readonly query: Query,
    private readonly ctx: ExecContext,
    version: string,
  ) {
    this.nextVar = query.variables.length;
    this.is311 = version.startsWith('3.11');
    this.json = { typeIds: true, subqueryReference: !this.is311 };
  }

  build(): BuiltPlan {
    this.add('SingletonNode', [], () => 1, this.is311 ? {} : { bindParameterVariables: {} });
    this.notePrevious(this.query.body);
    for (const s of this.query.body) {
      const node = this.statement(s);
      if (node) this.chain.push({ statement: s, node });
    }
    // Index nodes replace their loops after the plan is numbered, so they get the highest ids, as in ArangoDB.
    for (const { node, choice } of this.pendingIndex) this.toIndexNode(node, choice);
    this.removeUnusedCalculations();
    this.moveCalculationsUp();
    this.moveCalculationsDown();
    this.projections();
    return {
      plan: this.render(),
      nodes: this.nodes.map((n) => ({
        id: n.id,
        type: n.type,
        ...(n.statement && { statement: n.statement }),
      })),
      cacheable: this.cacheable && !this.modification,
      chain: this.chain,
    };
  }

  // ---- statements -------------------------------------------------------

  private statement(s: Statement): PlanNode | undefined {
    this.noteFunctions(s);
    const node = this.createNodes(s);
    const choice = s.kind === 'for' ? this.ctx.access.choices.get(s) : undefined;
    if (node && choice) this.pendingIndex.push({ node, choice });
    if (node && this.ctx.access.removed.has(s)) {
      // Removed after numbering, as ArangoDB's optimizer does: ids and temporaries stay allocated.
      this.nodes.splice(this.nodes.indexOf(node), 1);
      this.rules.add(s.kind === 'filter' ? 'remove-filter-covered-by-index' : 'use-index-for-sort');
      return undefined;
    }
    return node;
  }

  private createNodes(s: Statement): PlanNode | undefined {
    switch (s.kind) {
      case 'for': {
        const coll = forCollection(s, this.ctx);
        if (coll !== undefined) {
          this.collections.set(coll, this.collections.get(coll) ?? 'read');
          const count = this.ctx.host.collection(coll)?.count() ?? 0;
          this.fullDocVars.add(s.variable.id);
          return this.add(
            'EnumerateCollectionNode',
            [],
            (n) => n * count,
            {
              ...(this.is311 ? {} : { isAsyncPrefetchEnabled: true }),
              random: false,
              indexHint: { forced: false, lookahead: 1, type: 'none' },
              outVariable: this.varJson(s.variable),
              ...this.collectionAccess(coll),
            },
            s,
          );
        }
        const inVar = this.calc(s.source);
        const size = s.source.kind === 'array' ? s.source.items.length : 100;
        return this.add(
          'EnumerateListNode',
          [inVar.id],
          (n) => n * size,
          {
            ...(this.is311 ? {} : { isAsyncPrefetchEnabled: true }),
            inVariable: this.varJson(inVar),
            outVariable: this.varJson(s.variable),
          },
          s,
        );
      }
      case 'traversal': {
        const start = this.calc(s.start);
        const edgeCollections = s.graph
          ? (this.ctx.host.graph(String(compileExpr(s.graph, this.ctx)([])))?.edgeCollections ?? [])
          : s.edgeCollections.map((ec) => collectionOf(ec.collection, this.ctx));
        for (const c of edgeCollections) this.collections.set(c, this.collections.get(c) ?? 'read');
        const depth = (e: Expr) => compileExpr(e, this.ctx)([]);
        return this.add(
          'TraversalNode',
          [start.id],
          (n) => n * 10,
          {
            database: this.ctx.host.databaseName,
            ...(s.graph ? { graph: depth(s.graph) } : { graph: edgeCollections }),
            isLocalGraphNode: false,
            isUsedAsSatellite: false,
            edgeCollections,
            vertexCollections: [],
            directions: edgeCollections.map(() =>
              s.direction === 'outbound' ? 2 : s.direction === 'inbound' ? 1 : 0,
            ),
            inVariable: this.varJson(start),
            vertexOutVariable: this.varJson(s.vertex),
            ...(s.edge && { edgeOutVariable: this.varJson(s.edge) }),
            ...(s.path && { pathOutVariable: this.varJson(s.path) }),
            minDepth: depth(s.minDepth),
            maxDepth: depth(s.maxDepth),
            options: s.options ? compileExpr(s.options, this.ctx)([]) : {},
          },
          s,
        );
      }
      case 'let':
        return this.calc(s.expr, s.variable, s).node;
      case 'filter': {
        const folded = this.constant(s.expr);
        if (folded.known) {
          this.rules.add('remove-unnecessary-filters');
          if (truthy(folded.value)) return undefined;
          return this.add('NoResultsNode', [], () => 0, {}, s);
        }
        const v = this.calc(s.expr);
        return this.add('FilterNode', [v.id], (n) => n, { inVariable: this.varJson(v) }, s);
      }
      case 'sort': {
        const elements = s.elements.map((el) => ({ v: this.calc(el.expr), ascending: el.ascending }));
        const limit = sortLimit(this.following.get(s), this.ctx.fullCountLimit, this.ctx.bindVars);
        if (limit !== undefined) this.rules.add('sort-limit');
        return this.add(
          'SortNode',
          elements.map((e) => e.v.id),
          (n) => n,
          {
            elements: elements.map((e) => ({ inVariable: this.varJson(e.v), ascending: e.ascending })),
            stable: false,
            limit: limit ?? 0,
            strategy: limit === undefined ? 'standard' : 'constrained-heap',
          },
          s,
        );
      }
      case 'limit': {
        const offset = Number(compileExpr(s.offset, this.ctx)([]));
        const limit = Number(compileExpr(s.count, this.ctx)([]));
        return this.add(
          'LimitNode',
          [],
          (n) => Math.min(n, limit),
          { offset, limit, fullCount: this.ctx.fullCountLimit === s },
          s,
        );
      }
      case 'collect':
        return this.collect(s);
      case 'return': {
        const v = this.calc(s.expr);
        return this.add('ReturnNode', [v.id], (n) => n, { inVariable: this.varJson(v), count: true }, s);
      }
      case 'modify':
      case 'upsert':
        return this.modify(s);
    }
  }

  private notePrevious(body: Statement[]): void {
    const kept = body.filter((st) => !this.ctx.access.removed.has(st));
    body.forEach((st, i) => {
      if (i > 0) this.previous.set(st, body[i - 1] as Statement);
    });
    kept.forEach((st, i) => {
      const following = kept[i + 1];
      if (following) this.following.set(st, following);
    });
  }

  /**
   * A COLLECT right after an ascending SORT on its group expressions runs as a sorted collect and keeps
   * that order; otherwise ArangoDB picks a hash collect and sorts its output afterwards.
   */
  private inputSortedForCollect(s: Statement & { kind: 'collect' }): boolean {
    const prev = this.previous.get(s);
    if (prev?.kind !== 'sort' || s.groups.length === 0 || prev.elements.length < s.groups.length)
      return false;
    const key = (e: Expr) => JSON.stringify(exprJson(e, this.json));
    return s.groups.every((g, i) => {
      const el = prev.elements[i];
      return el?.ascending === true && key(el.expr) === key(g.expr);
    });
  }

  private collect(s: Statement & { kind: 'collect' }): PlanNode {
    const sorted = this.inputSortedForCollect(s);
    const groups = s.groups.map((g) => ({ out: g.variable, in: this.calc(g.expr) }));
    const aggregates = s.aggregates.map((a) => ({ out: a.variable, in: this.calc(a.arg), type: a.fn }));
    const expr = s.into?.expr ? this.calc(s.into.expr) : undefined;
    const uses = [
      ...groups.map((g) => g.in.id),
      ...aggregates.map((a) => a.in.id),
      ...(expr ? [expr.id] : []),
    ];
    if (s.into && !s.into.expr) uses.push(...(s.into.keep ?? s.visible).map((v) => v.id));
    const countOnly = groups.length === 0 && aggregates.length === 0 && !s.into && s.countInto !== undefined;
    const node = this.add(
      'CollectNode',
      uses,
      (n) => (groups.length === 0 ? 1 : Math.max(1, Math.ceil(n / 2))),
      {
        groups: groups.map((g) => ({ outVariable: this.varJson(g.out), inVariable: this.varJson(g.in) })),
        aggregates: [
          ...aggregates.map((a) => ({
            outVariable: this.varJson(a.out),
            inVariable: this.varJson(a.in),
            type: a.type,
          })),
          ...(s.countInto && !countOnly ? [{ outVariable: this.varJson(s.countInto), type: 'LENGTH' }] : []),
        ],
        ...(countOnly && s.countInto && { outVariable: this.varJson(s.countInto) }),
        ...(s.into && { outVariable: this.varJson(s.into.variable) }),
        ...(expr && { expressionVariable: this.varJson(expr) }),
        ...(s.into?.keep && { keepVariables: s.into.keep.map((v) => ({ variable: this.varJson(v) })) }),
        collectOptions: { method: countOnly ? 'count' : sorted ? 'sorted' : 'hash' },
        isDistinctCommand: false,
        specialized: true,
      },
      s,
    );
    if (groups.length > 0 && !sorted) {
      // Hash COLLECT output is unordered; ArangoDB sorts it by the group keys unless told `SORT null`.
      this.add(
        'SortNode',
        groups.map((g) => g.out.id),
        (n) => n,
        {
          elements: groups.map((g) => ({ inVariable: this.varJson(g.out), ascending: true })),
          stable: false,
          limit: 0,
          strategy: 'standard',
        },
      );
    }
    return node;
  }

  private modify(s: Statement & { kind: 'modify' | 'upsert' }): PlanNode {
    this.modification = true;
    const coll = collectionOf(s.collection, this.ctx);
    this.collections.set(coll, 'write');
    const flags = {
      waitForSync: false,
      skipDocumentValidation: false,
      keepNull: true,
      mergeObjects: true,
      ignoreRevs: true,
      isRestore: false,
      overwriteMode: 'conflict',
      ignoreErrors: false,
      ignoreDocumentNotFound: false,
      consultAqlWriteFilter: false,
      exclusive: false,
    };
    const common = {
      database: this.ctx.host.databaseName,
      collection: coll,
      satellite: false,
      isSatellite: false,
      isSatelliteOf: null,
      countStats: true,
      producesResults: this.usesVariable(s.oldVar) || this.usesVariable(s.newVar),
      readCompleteInput: false,
      modificationFlags: flags,
    };
    const outVars = {
      ...(this.usesVariable(s.oldVar) && { outVariableOld: this.varJson(s.oldVar) }),
      ...(this.usesVariable(s.newVar) && { outVariableNew: this.varJson(s.newVar) }),
    };
    if (s.kind === 'upsert') {
      const search = this.calc(s.search);
      const insert = this.calc(s.insert);
      const update = this.calc(s.update);
      return this.add(
        'UpsertNode',
        [search.id, insert.id, update.id],
        (n) => n,
        {
          ...common,
          inDocVariable: this.varJson(search),
          insertVariable: this.varJson(insert),
          updateVariable: this.varJson(update),
          isReplace: s.replace,
          ...outVars,
        },
        s,
      );
    }
    const type = `${s.op[0]?.toUpperCase()}${s.op.slice(1)}Node`;
    if (s.op === 'insert' || s.op === 'remove') {
      const v = this.calc(s.op === 'insert' ? s.doc : (s.key as Expr));
      return this.add(type, [v.id], (n) => n, { ...common, inVariable: this.varJson(v), ...outVars }, s);
    }
    const doc = this.calc(s.doc);
    const key = s.key ? this.calc(s.key) : undefined;
    return this.add(
      type,
      [doc.id, ...(key ? [key.id] : [])],
      (n) => n,
      {
        ...common,
        inDocVariable: this.varJson(doc),
        ...(key && { inKeyVariable: this.varJson(key) }),
        ...outVars,
      },
      s,
    );
  }

  // ---- optimizer steps --------------------------------------------------

  private toIndexNode(node: PlanNode, choice: IndexChoice): void {
    const s = node.statement as Statement & { kind: 'for' };
    const coll = forCollection(s, this.ctx) as string;
    const count = this.ctx.host.collection(coll)?.count() ?? 0;
    const { index } = choice;
    const eqOnUnique =
      index.unique &&
      (index.type === 'primary' ||
        index.fields.every((f) => choice.conditions.some((c) => c.path.join('.') === f && c.op === '==')));
    const estimate =
      choice.conditions.length === 0 ? count : eqOnUnique ? 1 : Math.max(1, Math.ceil(count / 10));
    const ref = (e: Expr) => exprJson(e, this.json);
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
                subNodes: choice.conditions.map((c) =>
                  conditionJson(normalizedCondition(c, s.variable), ref),
                ),
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
    node.id = this.nextId++;
    node.items = (n) => n * estimate;
    node.body = {
      ...(this.is311 ? {} : { isAsyncPrefetchEnabled: true }),
      outVariable: this.varJson(s.variable),
      ...this.collectionAccess(coll),
      ...(this.is311 ? {} : { strategy: 'document' }),
      needsGatherNodeSort: choice.sorted,
      ...(this.is311 || !choice.sorted
        ? {}
        : {
            sortElements: (choice.sortPaths ?? []).map((path) => ({
              inVariable: this.varJson(s.variable),
              ascending: choice.ascending,
              path,
            })),
          }),
      indexCoversProjections: false,
      ...(this.is311 ? {} : { indexCoversOutProjections: false, indexCoversFilterProjections: false }),
      indexes: [indexJson],
      condition,
      allCoveredByOneIndex: false,
      sorted: true,
      ascending: choice.ascending,
      ...(this.is311 && { reverse: !choice.ascending }),
      evalFCalls: true,
      waitForSync: false,
      limit: 0,
      ...(this.is311 ? {} : { isLateMaterialized: false }),
      lookahead: 1,
    };
    const chainEntry = this.chain.find((c) => c.node === node);
    if (chainEntry) chainEntry.node = node;
    this.rules.add('use-indexes');
  }

  private removeUnusedCalculations(): void {
    for (;;) {
      const used = new Set(this.nodes.flatMap((n) => n.uses));
      const idx = this.nodes.findIndex(
        (n) => n.type === 'CalculationNode' && n.defines !== undefined && !used.has(n.defines),
      );
      if (idx < 0) return;
      this.nodes.splice(idx, 1);
      this.rules.add(
        this.ctx.access.choices.size > 0
          ? 'remove-unnecessary-calculations-2'
          : 'remove-unnecessary-calculations',
      );
    }
  }

  /**
   * move-calculations-up: a calculation that does not depend on a loop is hoisted above it, stopping at
   * the singleton, another calculation, or the node defining a variable it reads.
   */
  private moveCalculationsUp(): void {
    for (let i = 1; i < this.nodes.length; i++) {
      const node = this.nodes[i] as PlanNode;
      if (node.type !== 'CalculationNode') continue;
      let at = i;
      while (at > 1) {
        const dep = this.nodes[at - 1] as PlanNode;
        if (dep.type === 'CalculationNode' || dep.type === 'SubqueryNode' || !MOVABLE_PAST.has(dep.type))
          break;
        const defined = [dep.defines, ...definedBy(dep)];
        if (node.uses.some((u) => defined.includes(u))) break;
        at--;
      }
      if (at < i) {
        this.nodes.splice(i, 1);
        this.nodes.splice(at, 0, node);
        this.rules.add('move-calculations-up');
      }
    }
  }

  /** move-calculations-down: a calculation sinks below LIMIT/FILTER/SORT nodes that do not read its result. */
  private moveCalculationsDown(): void {
    for (let i = this.nodes.length - 2; i >= 1; i--) {
      const node = this.nodes[i] as PlanNode;
      if (node.type !== 'CalculationNode' || node.defines === undefined) continue;
      let at = i;
      for (;;) {
        const next = this.nodes[at + 1];
        if (!next || !SINKABLE_PAST.has(next.type) || next.uses.includes(node.defines)) break;
        at++;
      }
      if (at > i) {
        this.nodes.splice(i, 1);
        this.nodes.splice(at, 0, node);
        this.rules.add('move-calculations-down');
      }
    }
  }

  /**
   * reduce-extraction-to-projection: a loop whose document is only read through `doc.attr` extracts just
   * those attributes. 3.12 (optimize-projections) also writes `LET x = doc.attr` straight from the index or
   * scan into a new variable and drops the calculation.
   */
  private projections(): void {
    for (const node of [...this.nodes]) {
      if (node.type !== 'EnumerateCollectionNode' && node.type !== 'IndexNode') continue;
      const loopVar = (node.statement as Statement & { kind: 'for' }).variable;
      const paths = new Set<string>();
      let projectable = true;
      for (const other of this.nodes) {
        if (other === node || !other.uses.includes(loopVar.id)) continue;
        if (
          other.type !== 'CalculationNode' ||
          !other.expr ||
          !attributeUsesOnly(other.expr, loopVar.id, paths)
        ) {
          projectable = false;
          break;
        }
      }
      if (!projectable || paths.size === 0 || paths.size > MAX_PROJECTIONS) continue;
      this.fullDocVars.delete(loopVar.id);
      node.body.outVariable = this.varJson(loopVar);
      this.rules.add('reduce-extraction-to-projection');
      if (this.is311) {
        node.body.projections = [...paths];
        continue;
      }
      node.body.projections = [...paths].map((path) => {
        const calc = this.nodes.find(
          (n) =>
            n.type === 'CalculationNode' &&
            n.expr?.kind === 'attr' &&
            n.expr.name === path &&
            n.expr.object.kind === 'ref' &&
            n.expr.object.variable.id === loopVar.id,
        );
        if (!calc || calc.defines === undefined) return { path: [path] };
        const out = this.temp();
        this.renameVariable(calc.defines, out);
        this.nodes.splice(this.nodes.indexOf(calc), 1);
        this.rules.add('optimize-projections');
        this.rules.add('remove-unnecessary-calculations-4');
        return { path: [path], variable: this.varJson(out) };
      });
    }
  }

  /** Points every node that read `from` at `to`. */
  private renameVariable(from: number, to: Variable): void {
    const replacement = this.varJson(to);
    const rewrite = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(rewrite);
      if (typeof v !== 'object' || v === null) return v;
      const o = v as Record<string, unknown>;
      if (o.id === from && 'isFullDocumentFromCollection' in o) return replacement;
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, rewrite(x)]));
    };
    for (const n of this.nodes) {
      if (!n.uses.includes(from)) continue;
      n.uses = n.uses.map((u) => (u === from ? to.id : u));
      n.body = rewrite(n.body) as Record<string, unknown>;
    }
  }

  // ---- helpers ----------------------------------------------------------

  /** Creates a CalculationNode unless the expression is already a variable; returns the variable holding the value. */
  private calc(
    e: Expr,
    target?: Variable,
    s?: Statement,
  ): { id: number; name: string; node?: PlanNode } & Variable {
    if (!target && e.kind === 'ref') return e.variable;
    if (e.kind === 'subquery') return this.subquery(e.body, target ?? this.temp(), s);
    const expr = this.hoistSubqueries(e);
    const out = target ?? this.temp();
    const uses: number[] = [];
    visitExpr(expr, (x) => {
      if (x.kind === 'ref') uses.push(x.variable.id);
    });
    const folded = this.constant(expr);
    if (folded.known) this.constants.set(out.id, folded.value);
    const node = this.add(
      'CalculationNode',
      uses,
      (n) => n,
      {
        ...(this.is311 ? {} : { isAsyncPrefetchEnabled: true }),
        expression: folded.known ? valueJson(folded.value, this.json) : exprJson(expr, this.json),
        outVariable: this.varJson(out),
        canThrow: false,
        expressionType: folded.known ? 'json' : expr.kind === 'attr' ? 'attribute' : 'simple',
      },
      s,
    );
    node.defines = out.id;
    node.expr = expr;
    return { ...out, node };
  }

  /**
   * splice-subqueries: a subquery runs inline between a SubqueryStartNode and a SubqueryEndNode that
   * collects its RETURN values into the subquery's variable.
   */
  private subquery(body: Statement[], out: Variable, s?: Statement): Variable & { node: PlanNode } {
    const start = this.add('SubqueryStartNode', [], (n) => n, { subqueryOutVariable: this.varJson(out) }, s);
    let returned: Variable | undefined;
    let modifies = false;
    this.notePrevious(body);
    for (const st of body) {
      if (st.kind === 'modify' || st.kind === 'upsert') modifies = true;
      if (st.kind === 'return') returned = this.calc(st.expr);
      else this.statement(st);
    }
    const end = this.add(
      'SubqueryEndNode',
      returned ? [returned.id] : [],
      (n) => n,
      {
        ...(returned && { inVariable: this.varJson(returned) }),
        outVariable: this.varJson(out),
        isModificationSubquery: modifies,
      },
      s,
    );
    end.defines = out.id;
    end.itemsFrom = start;
    this.rules.add('splice-subqueries');
    return { ...out, node: end };
  }

  /** Subqueries nested in a larger expression are planned first and referenced through their variable. */
  private hoistSubqueries(e: Expr): Expr {
    const h = (x: Expr) => this.hoistSubqueries(x);
    switch (e.kind) {
      case 'subquery':
        return { kind: 'ref', variable: this.subquery(e.body, this.temp()) };
      case 'array':
        return { ...e, items: e.items.map(h) };
      case 'object':
        return {
          ...e,
          entries: e.entries.map((en) =>
            typeof en.key === 'string'
              ? { key: en.key, value: h(en.value) }
              : { key: h(en.key), value: h(en.value), computed: true as const },
          ),
        };
      case 'attr':
        return { ...e, object: h(e.object) };
      case 'index':
        return { ...e, object: h(e.object), index: h(e.index) };
      case 'expand':
        return { ...e, source: h(e.source), ...(e.filter && { filter: h(e.filter) }), map: h(e.map) };
      case 'call':
        return { ...e, args: e.args.map(h) };
      case 'unary':
        return { ...e, operand: h(e.operand) };
      case 'binary':
        return { ...e, left: h(e.left), right: h(e.right) };
      case 'ternary':
        return {
          ...e,
          condition: h(e.condition),
          ...(e.whenTrue && { whenTrue: h(e.whenTrue) }),
          otherwise: h(e.otherwise),
        };
      case 'range':
        return { ...e, from: h(e.from), to: h(e.to) };
      default:
        return e;
    }
  }

  private readonly constants = new Map<number, unknown>();

  /** Folds expressions without variables, parameters of collections, subqueries or calls, as the optimizer does. */
  private constant(e: Expr): { known: boolean; value?: unknown } {
    let pure = true;
    visitExpr(e, (x) => {
      if (
        x.kind === 'ref' ||
        x.kind === 'collection' ||
        x.kind === 'subquery' ||
        x.kind === 'call' ||
        x.kind === 'range'
      ) {
        pure = false;
      }
      if (x.kind === 'param' && x.name.startsWith('@')) pure = false;
    });
    if (!pure || (e.kind !== 'binary' && e.kind !== 'unary' && e.kind !== 'array' && e.kind !== 'value')) {
      return { known: false };
    }
    const before = this.ctx.warnings.length;
    const value = compileExpr(e, this.ctx)([]);
    if (this.ctx.warnings.length > before) this.cacheable = false;
    return { known: true, value };
  }

  private noteFunctions(s: Statement): void {
    for (const e of statementExprs(s)) {
      visitExpr(e, (x) => {
        if (x.kind === 'call' && NON_CACHEABLE.has(x.name)) this.cacheable = false;
      });
    }
  }

  private usesVariable(v: Variable): boolean {
    let used = false;
    const check = (body: Statement[]) => {
      for (const st of body) {
        for (const e of statementExprs(st)) {
          visitExpr(e, (x) => {
            if (x.kind === 'ref' && x.variable.id === v.id) used = true;
            if (x.kind === 'subquery') check(x.body);
          });
        }
      }
    };
    check(this.query.body);
    return used;
  }

  private temp(): Variable {
    const v: Variable = { id: this.nextVar++, name: '', user: false };
    v.name = String(v.id);
    this.temps.push(v);
    return v;
  }

  private varJson(v: Variable): Record<string, unknown> {
    return { id: v.id, name: v.name, isFullDocumentFromCollection: this.fullDocVars.has(v.id) };
  }

  private collectionAccess(coll: string): Record<string, unknown> {
    return {
      projections: [],
      filterProjections: [],
      count: false,
      producesResult: true,
      readOwnWrites: false,
      useCache: true,
      maxProjections: 5,
      ...(this.is311 && { database: this.ctx.host.databaseName }),
      collection: coll,
      satellite: false,
      isSatellite: false,
      isSatelliteOf: null,
    };
  }

  private add(
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

  private render(): ExplainPlan {
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
    const prefetch = !this.is311 && !this.modification && !this.nodes.some((n) => n.type === 'LimitNode');
    if (prefetch) this.rules.add('async-prefetch');
    else for (const n of nodes) delete (n as { isAsyncPrefetchEnabled?: boolean }).isAsyncPrefetchEnabled;
    const variables = [...this.query.variables, ...this.temps]
      .sort((a, b) => b.id - a.id)
      .map((v) => ({
        ...this.varJson(v),
        ...(this.constants.has(v.id) && { constantValue: this.constants.get(v.id) }),
      }));
    const collections = [...this.collections.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, type]) => ({ name, type }));
    const rules = RULE_ORDER.filter((r) => this.rules.has(r));
    const plan: ExplainPlan & { asyncPrefetchNodes?: number } = this.is311
      ? {
          nodes,
          rules,
          collections,
          variables,
          estimatedCost: cost,
          estimatedNrItems: items,
          isModificationQuery: this.modification,
        }
      : {
          nodes,
          rules,
          asyncPrefetchNodes: nodes.filter(
            (n) => (n as { isAsyncPrefetchEnabled?: boolean }).isAsyncPrefetchEnabled,
          ).length,
          estimatedCost: cost,
          estimatedNrItems: items,
          collections,
          variables,
          isModificationQuery: this.modification,
        };
    return plan;
  }
}

function valueJson(v: unknown, o: JsonOptions): Record<string, unknown> {
  if (Array.isArray(v) || (typeof v === 'object' && v !== null)) {
    return { type: Array.isArray(v) ? 'array' : 'object', typeID: Array.isArray(v) ? 41 : 42, raw: v };
  }
  return exprJson({ kind: 'value', value: v }, o);
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
