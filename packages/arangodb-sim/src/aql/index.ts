/** The simulator's AQL engine: parse, explain and execute queries against an AqlHost. */
import type { Statement } from './ast.js';
import { queryJson } from './ast-json.js';
import { DEFAULT_VERSION, prepare, versionOf } from './engine.js';
import { wrapPhase } from './errors.js';
import { errorOrigin } from './evaluate/context.js';
import { compileBody } from './evaluate/pipeline.js';
import { type BuiltPlan, buildPlan } from './explain/index.js';
import type { AqlHost } from './host.js';
import { parse } from './parser/index.js';

import type { ExplainResult, ParseResult, ProfileNode, QueryOptions, QueryResult } from './types.js';

export * from './host.js';
export type * from './types.js';

export function executeQuery(
  host: AqlHost,
  query: string,
  bindVars: Record<string, unknown>,
  options: QueryOptions = {},
): QueryResult {
  const started = performance.now();
  const { query: q, ctx } = prepare(host, query, bindVars, options.memoryLimit);
  const version = versionOf(host);
  if (options.fullCount) ctx.fullCountLimit = lastTopLevelLimit(q.body);
  if (options.profile) ctx.profile = new Map();
  let built: BuiltPlan | undefined;
  try {
    built = buildPlan(q, ctx, version);
    ctx.warnings.length = 0;
    const result = compileBody(q.body, ctx)(new Array(q.variables.length).fill(null));
    ctx.stats.executionTime = (performance.now() - started) / 1000 + ctx.slept;
    return {
      result,
      stats: ctx.profile
        ? { ...ctx.stats, nodes: profileNodes(built, ctx.profile, ctx.stats.executionTime) }
        : ctx.stats,
      warnings: ctx.warnings,
      ...(options.fullCount && { fullCount: ctx.fullCount ?? result.length }),
    };
  } catch (err) {
    throw wrapPhase(err, 'executing', version, built ? errorTrail(err, built) : []);
  }
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
  _options: { allPlans?: boolean } = {},
): ExplainResult {
  const started = performance.now();
  const { query: q, ctx } = prepare(host, query, bindVars, undefined);
  const built = buildPlan(q, ctx, versionOf(host));
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
