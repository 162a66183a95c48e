/** The simulator's AQL engine: parse, explain and execute queries against an AqlHost. */
import type { Statement } from './ast.js';
import { queryJson } from './ast-json.js';
import { DEFAULT_VERSION, prepare, versionOf } from './engine.js';
import { wrapPhase } from './errors.js';
import { errorOrigin } from './evaluate/context.js';
import { compileBody, compileLazy, type LazyBody } from './evaluate/pipeline.js';
import { type BuiltPlan, buildPlan } from './explain/index.js';
import type { AqlHost } from './host.js';
import { parse } from './parser/index.js';

import type {
  ExplainResult,
  ParseResult,
  ProfileNode,
  QueryOptions,
  QueryResult,
  QueryRun,
} from './types.js';

export * from './host.js';
export type * from './types.js';

export function executeQuery(
  host: AqlHost,
  query: string,
  bindVars: Record<string, unknown>,
  options: QueryOptions = {},
): QueryResult {
  const run = startQuery(host, query, bindVars, options);
  const result = run.next(Number.POSITIVE_INFINITY);
  return { result, ...run.summary() };
}

/**
 * Parses, plans and starts a query. Without `lazy` (or for shapes that cannot stream) the first `next`
 * evaluates it whole; with it, each `next` runs the pipeline only as far as the values it returns.
 */
export function startQuery(
  host: AqlHost,
  query: string,
  bindVars: Record<string, unknown>,
  options: QueryOptions = {},
): QueryRun {
  const started = performance.now();
  const { query: q, ctx } = prepare(host, query, bindVars, options.memoryLimit);
  const version = versionOf(host);
  if (options.fullCount) ctx.fullCountLimit = lastTopLevelLimit(q.body);
  if (options.profile) ctx.profile = new Map();
  ctx.failOnWarning = options.failOnWarning === true;
  let built: BuiltPlan;
  try {
    built = buildPlan(q, ctx, version);
  } catch (err) {
    // Constant folding warns while the AST is optimized, before any row is read.
    throw wrapPhase(err, 'optimizing ast', version);
  }
  ctx.warnings.length = 0;
  const frame = new Array(q.variables.length).fill(null);
  const failed = (err: unknown) => wrapPhase(err, 'executing', version, errorTrail(err, built));
  let pending: unknown[] | undefined;
  let lazy: LazyBody | undefined;
  try {
    // Data-modification queries run whole at once, as their writes must not depend on the client's pace.
    const streamable = options.lazy && !ctx.profile && !ctx.fullCountLimit && !built.plan.isModificationQuery;
    const compiled = streamable ? compileLazy(q.body, ctx) : undefined;
    if (compiled) lazy = compiled(frame);
  } catch (err) {
    throw failed(err);
  }
  let finished = false;
  /** Values evaluated so far (all of them once an eager run has run). */
  let produced = 0;
  /** Values of `pending` already returned: batches are slices, never a shift of the whole result. */
  let taken = 0;
  const finish = (): void => {
    finished = true;
    ctx.stats.executionTime = (performance.now() - started) / 1000 + ctx.slept;
  };
  return {
    next(n) {
      if (finished && !pending) return [];
      let out: unknown[];
      try {
        if (lazy) {
          out = lazy.pull(n);
          produced += out.length;
          if (lazy.done) finish();
        } else {
          if (!pending) {
            pending = compileBody(q.body, ctx)(frame);
            produced = pending.length;
            finish();
          }
          if (taken === 0 && pending.length <= n) out = pending;
          else out = pending.slice(taken, taken + n);
          taken += out.length;
          if (taken >= pending.length) pending = undefined;
        }
      } catch (err) {
        finished = true;
        throw failed(err);
      }
      return out;
    },
    get done() {
      return finished && !pending;
    },
    get pending() {
      return pending ? pending.length - taken : 0;
    },
    get slept() {
      return ctx.slept;
    },
    get peakMemoryUsage() {
      return ctx.stats.peakMemoryUsage;
    },
    summary() {
      const stats = ctx.profile
        ? { ...ctx.stats, nodes: profileNodes(built, ctx.profile, ctx.stats.executionTime) }
        : ctx.stats;
      return {
        stats,
        warnings: ctx.warnings,
        ...(options.fullCount && { fullCount: ctx.fullCount ?? produced }),
      };
    },
  };
}

/** `version` selects the AST dialect: 3.11 references lack `subqueryReference`. */
export function parseQuery(query: string, version: string = DEFAULT_VERSION): ParseResult {
  const q = parse(query);
  return {
    collections: q.collections,
    bindVars: q.bindParams,
    ast: queryJson(q, { typeIds: false, subqueryReference: !version.startsWith('3.11') }),
  };
}

export function explainQuery(
  host: AqlHost,
  query: string,
  bindVars: Record<string, unknown>,
  options: { allPlans?: boolean; failOnWarning?: boolean } = {},
): ExplainResult {
  const started = performance.now();
  const { query: q, ctx } = prepare(host, query, bindVars, undefined);
  ctx.failOnWarning = options.failOnWarning === true;
  let built: BuiltPlan;
  try {
    built = buildPlan(q, ctx, versionOf(host));
  } catch (err) {
    throw wrapPhase(err, 'optimizing ast', versionOf(host));
  }
  return {
    plan: built.plan,
    cacheable: built.cacheable,
    warnings: ctx.warnings,
    stats: {
      rulesExecuted: built.plan.rules.length,
      rulesSkipped: 0,
      plansCreated: 1,
      peakMemoryUsage: 0,
      executionTime: (performance.now() - started) / 1000,
    },
  };
}

/** Rows per plan node; nodes without their own counter (calculations) pass on what they received. */
function profileNodes(built: BuiltPlan, counts: Map<Statement, number>, runtime: number): ProfileNode[] {
  let items = 1;
  return built.nodes.map((n, i) => {
    const before = items;
    const counted = n.statement && counts.get(n.statement);
    if (i > 0 && counted !== undefined && n.type !== 'CalculationNode') items = counted;
    return {
      id: n.id,
      calls: 1,
      parallel: 0,
      items,
      filtered: n.type === 'FilterNode' ? Math.max(0, before - items) : 0,
      runtime: runtime / built.nodes.length,
    };
  });
}

function lastTopLevelLimit(body: Statement[]): Statement | undefined {
  for (let i = body.length - 1; i >= 0; i--) if (body[i]?.kind === 'limit') return body[i];
  return undefined;
}

/**
 * The plan nodes 3.12 names in an execution error. An error with a known origin names that node; running
 * out of memory is reported by the node feeding the buffering node, which (like ArangoDB's executor
 * wrapping) appears twice, and every node after it up to the RETURN.
 */
function errorTrail(err: unknown, built: BuiltPlan) {
  if (typeof err !== 'object' || err === null) return [];
  const failed = errorOrigin.get(err);
  if (failed) {
    const entry = built.chain.find((c) => c.statement === failed);
    return entry ? [entry.node] : [];
  }
  if ((err as { errorNum?: number }).errorNum !== 32) return [];
  const buffering = built.chain.findIndex((c) => c.node.type === 'SortNode' || c.node.type === 'CollectNode');
  if (buffering <= 0) return built.chain.map((c) => c.node);
  const nodes = built.chain.map((c) => c.node);
  const at = nodes[buffering] as (typeof nodes)[number];
  return [nodes[buffering - 1] as (typeof nodes)[number], at, at, ...nodes.slice(buffering + 1)];
}
