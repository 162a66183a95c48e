/**
 * Builds the execution plan ArangoDB's explain would show for the supported subset: the nodes the
 * planner creates from the query (numbered the same way), after the optimizer rules the simulator
 * mimics (index selection, covered-filter and unused-calculation removal, constant filters).
 */
import type { Expr, Query, Statement, Variable } from '../ast.js';
import { exprJson, type JsonOptions } from '../ast-json.js';
import type { ExecContext } from '../evaluate/context.js';
import { compileExpr } from '../evaluate/expression.js';
import { collectionOf } from '../evaluate/modify.js';
import { forCollection } from '../evaluate/pipeline.js';
import { truthy } from '../evaluate/values.js';
import { type IndexChoice, statementExprs, visitExpr } from '../index-selection.js';
import { sortLimit } from '../sort-limit.js';
import type { ExplainPlan } from '../types.js';
import { toIndexNode } from './index-node.js';
import {
  moveCalculationsDown,
  moveCalculationsUp,
  projections,
  removeUnusedCalculations,
} from './optimizer.js';
import { PlanGraph, type PlanNode, type PlanNodeRef } from './plan-graph.js';

export interface BuiltPlan {
  plan: ExplainPlan;
  /** Plan nodes in order with the statement each was made for (calculations of LET included). */
  nodes: (PlanNodeRef & { statement?: Statement })[];
  cacheable: boolean;
  /** The main plan node of each top-level statement, in pipeline order, for error messages. */
  chain: { statement: Statement; node: PlanNodeRef }[];
}

const NON_CACHEABLE = new Set(['DATE_NOW', 'RAND', 'DOCUMENT']);

export function buildPlan(query: Query, ctx: ExecContext, version: string): BuiltPlan {
  return new PlanBuilder(query, ctx, version).build();
}

class PlanBuilder {
  private readonly g: PlanGraph;
  private readonly collections = new Map<string, 'read' | 'write'>();
  private readonly chain: { statement: Statement; node: PlanNodeRef }[] = [];
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
    this.g = new PlanGraph(query.variables.length, version.startsWith('3.11'), ctx.host.databaseName);
  }

  build(): BuiltPlan {
    this.g.add('SingletonNode', [], () => 1, this.g.is311 ? {} : { bindParameterVariables: {} });
    this.notePrevious(this.query.body);
    for (const s of this.query.body) {
      const node = this.statement(s);
      if (node) this.chain.push({ statement: s, node });
    }
    // Index nodes replace their loops after the plan is numbered, so they get the highest ids, as in ArangoDB.
    for (const { node, choice } of this.pendingIndex) toIndexNode(this.g, this.ctx, node, choice);
    removeUnusedCalculations(this.g, this.ctx.access.choices.size > 0);
    moveCalculationsUp(this.g);
    moveCalculationsDown(this.g);
    projections(this.g);
    return {
      plan: this.g.render(this.query.variables, this.collections, this.modification),
      nodes: this.g.nodes.map((n) => ({
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
      this.g.nodes.splice(this.g.nodes.indexOf(node), 1);
      this.g.rules.add(s.kind === 'filter' ? 'remove-filter-covered-by-index' : 'use-index-for-sort');
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
          this.g.fullDocVars.add(s.variable.id);
          return this.g.add(
            'EnumerateCollectionNode',
            [],
            (n) => n * count,
            {
              ...(this.g.is311 ? {} : { isAsyncPrefetchEnabled: true }),
              random: false,
              indexHint: { forced: false, lookahead: 1, type: 'none' },
              outVariable: this.g.varJson(s.variable),
              ...this.g.collectionAccess(coll),
            },
            s,
          );
        }
        const inVar = this.calc(s.source);
        const size = s.source.kind === 'array' ? s.source.items.length : 100;
        return this.g.add(
          'EnumerateListNode',
          [inVar.id],
          (n) => n * size,
          {
            ...(this.g.is311 ? {} : { isAsyncPrefetchEnabled: true }),
            inVariable: this.g.varJson(inVar),
            outVariable: this.g.varJson(s.variable),
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
        return this.g.add(
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
            inVariable: this.g.varJson(start),
            vertexOutVariable: this.g.varJson(s.vertex),
            ...(s.edge && { edgeOutVariable: this.g.varJson(s.edge) }),
            ...(s.path && { pathOutVariable: this.g.varJson(s.path) }),
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
          this.g.rules.add('remove-unnecessary-filters');
          if (truthy(folded.value)) return undefined;
          return this.g.add('NoResultsNode', [], () => 0, {}, s);
        }
        const v = this.calc(s.expr);
        return this.g.add('FilterNode', [v.id], (n) => n, { inVariable: this.g.varJson(v) }, s);
      }
      case 'sort': {
        const elements = s.elements.map((el) => ({ v: this.calc(el.expr), ascending: el.ascending }));
        const limit = sortLimit(this.following.get(s), this.ctx.fullCountLimit, this.ctx.bindVars);
        if (limit !== undefined) this.g.rules.add('sort-limit');
        return this.g.add(
          'SortNode',
          elements.map((e) => e.v.id),
          (n) => n,
          {
            elements: elements.map((e) => ({ inVariable: this.g.varJson(e.v), ascending: e.ascending })),
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
        return this.g.add(
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
        let v: Variable = this.calc(s.expr);
        if (s.distinct) {
          // RETURN DISTINCT is planned as a distinct COLLECT into a temporary.
          const out = this.g.temp();
          this.g.add('CollectNode', [v.id], (n) => n, {
            groups: [{ outVariable: this.g.varJson(out), inVariable: this.g.varJson(v) }],
            aggregates: [],
            collectOptions: { method: 'hash' },
            isDistinctCommand: true,
            specialized: true,
          }).defines = out.id;
          v = out;
        }
        return this.g.add('ReturnNode', [v.id], (n) => n, { inVariable: this.g.varJson(v), count: true }, s);
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
    const key = (e: Expr) => JSON.stringify(exprJson(e, this.g.json));
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
    const node = this.g.add(
      'CollectNode',
      uses,
      (n) => (groups.length === 0 ? 1 : Math.max(1, Math.ceil(n / 2))),
      {
        groups: groups.map((g) => ({ outVariable: this.g.varJson(g.out), inVariable: this.g.varJson(g.in) })),
        aggregates: [
          ...aggregates.map((a) => ({
            outVariable: this.g.varJson(a.out),
            inVariable: this.g.varJson(a.in),
            type: a.type,
          })),
          ...(s.countInto && !countOnly
            ? [{ outVariable: this.g.varJson(s.countInto), type: 'LENGTH' }]
            : []),
        ],
        ...(countOnly && s.countInto && { outVariable: this.g.varJson(s.countInto) }),
        ...(s.into && { outVariable: this.g.varJson(s.into.variable) }),
        ...(expr && { expressionVariable: this.g.varJson(expr) }),
        ...(s.into?.keep && { keepVariables: s.into.keep.map((v) => ({ variable: this.g.varJson(v) })) }),
        collectOptions: { method: countOnly ? 'count' : sorted ? 'sorted' : 'hash' },
        isDistinctCommand: false,
        specialized: true,
      },
      s,
    );
    if (groups.length > 0 && !sorted) {
      // Hash COLLECT output is unordered; ArangoDB sorts it by the group keys unless told `SORT null`.
      this.g.add(
        'SortNode',
        groups.map((g) => g.out.id),
        (n) => n,
        {
          elements: groups.map((g) => ({ inVariable: this.g.varJson(g.out), ascending: true })),
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
      ...(this.usesVariable(s.oldVar) && { outVariableOld: this.g.varJson(s.oldVar) }),
      ...(this.usesVariable(s.newVar) && { outVariableNew: this.g.varJson(s.newVar) }),
    };
    if (s.kind === 'upsert') {
      const search = this.calc(s.search);
      const insert = this.calc(s.insert);
      const update = this.calc(s.update);
      return this.g.add(
        'UpsertNode',
        [search.id, insert.id, update.id],
        (n) => n,
        {
          ...common,
          inDocVariable: this.g.varJson(search),
          insertVariable: this.g.varJson(insert),
          updateVariable: this.g.varJson(update),
          isReplace: s.replace,
          ...outVars,
        },
        s,
      );
    }
    const type = `${s.op[0]?.toUpperCase()}${s.op.slice(1)}Node`;
    if (s.op === 'insert' || s.op === 'remove') {
      const v = this.calc(s.op === 'insert' ? s.doc : (s.key as Expr));
      return this.g.add(type, [v.id], (n) => n, { ...common, inVariable: this.g.varJson(v), ...outVars }, s);
    }
    const doc = this.calc(s.doc);
    const key = s.key ? this.calc(s.key) : undefined;
    return this.g.add(
      type,
      [doc.id, ...(key ? [key.id] : [])],
      (n) => n,
      {
        ...common,
        inDocVariable: this.g.varJson(doc),
        ...(key && { inKeyVariable: this.g.varJson(key) }),
        ...outVars,
      },
      s,
    );
  }

  // ---- optimizer steps --------------------------------------------------

  // ---- helpers ----------------------------------------------------------

  /** Creates a CalculationNode unless the expression is already a variable; returns the variable holding the value. */
  private calc(
    e: Expr,
    target?: Variable,
    s?: Statement,
  ): { id: number; name: string; node?: PlanNode } & Variable {
    if (!target && e.kind === 'ref') return e.variable;
    if (e.kind === 'subquery') return this.subquery(e.body, target ?? this.g.temp(), s);
    const expr = this.hoistSubqueries(e);
    const out = target ?? this.g.temp();
    const uses: number[] = [];
    visitExpr(expr, (x) => {
      if (x.kind === 'ref') uses.push(x.variable.id);
    });
    const folded = this.constant(expr);
    if (folded.known) this.g.constants.set(out.id, folded.value);
    const node = this.g.add(
      'CalculationNode',
      uses,
      (n) => n,
      {
        ...(this.g.is311 ? {} : { isAsyncPrefetchEnabled: true }),
        expression: folded.known ? valueJson(folded.value, this.g.json) : exprJson(expr, this.g.json),
        outVariable: this.g.varJson(out),
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
    const start = this.g.add(
      'SubqueryStartNode',
      [],
      (n) => n,
      { subqueryOutVariable: this.g.varJson(out) },
      s,
    );
    let returned: Variable | undefined;
    let modifies = false;
    this.notePrevious(body);
    for (const st of body) {
      if (st.kind === 'modify' || st.kind === 'upsert') modifies = true;
      if (st.kind === 'return') returned = this.calc(st.expr);
      else this.statement(st);
    }
    const end = this.g.add(
      'SubqueryEndNode',
      returned ? [returned.id] : [],
      (n) => n,
      {
        ...(returned && { inVariable: this.g.varJson(returned) }),
        outVariable: this.g.varJson(out),
        isModificationSubquery: modifies,
      },
      s,
    );
    end.defines = out.id;
    end.itemsFrom = start;
    this.g.rules.add('splice-subqueries');
    return { ...out, node: end };
  }

  /** Subqueries nested in a larger expression are planned first and referenced through their variable. */
  private hoistSubqueries(e: Expr): Expr {
    const h = (x: Expr) => this.hoistSubqueries(x);
    switch (e.kind) {
      case 'subquery':
        return { kind: 'ref', variable: this.subquery(e.body, this.g.temp()) };
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
        return {
          ...e,
          source: h(e.source),
          ...(e.filter && { filter: h(e.filter) }),
          ...(e.limit && { limit: { offset: h(e.limit.offset), count: h(e.limit.count) } }),
          map: h(e.map),
        };
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
}

function valueJson(v: unknown, o: JsonOptions): Record<string, unknown> {
  if (Array.isArray(v) || (typeof v === 'object' && v !== null)) {
    return { type: Array.isArray(v) ? 'array' : 'object', typeID: Array.isArray(v) ? 41 : 42, raw: v };
  }
  return exprJson({ kind: 'value', value: v }, o);
}
