import { explainQuery, parseQuery } from '../aql/index.js';
import type { Ctx } from '../http/context.js';
import { json, ok, okAfter } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { queryList } from '../query-list.js';
import { errors } from '../storage/errors.js';
import { hasExplainRuleStats, hasParseWarnings, type VersionInfo } from '../version.js';

/**
 * Explain `stats` as real servers order them. The optimizer times each rule it runs at profile level 2
 * and up (Optimizer::createPlans), reported as `rules` by every version; 3.12.1+ always sends the object.
 */
function explainStats(
  v: VersionInfo,
  raw: Record<string, unknown>,
  ruleNames: string[],
  profile: number,
): Record<string, unknown> {
  const n = (k: string): number => (typeof raw[k] === 'number' ? (raw[k] as number) : 0);
  const s: Record<string, unknown> = {
    rulesExecuted: n('rulesExecuted'),
    rulesSkipped: n('rulesSkipped'),
    plansCreated: n('plansCreated') || 1,
  };
  if (profile >= 2) {
    const each = n('executionTime') / Math.max(1, ruleNames.length);
    s.rules = Object.fromEntries(ruleNames.map((r) => [r, each]));
  } else if (hasExplainRuleStats(v)) s.rules = {};
  return { ...s, peakMemoryUsage: n('peakMemoryUsage'), executionTime: n('executionTime') };
}

/** The profile option as a level: `true` is 1, numbers as given. */
function profileLevel(v: unknown): number {
  if (v === true) return 1;
  return typeof v === 'number' ? v : 0;
}

function queryOf(ctx: Ctx): string {
  const q = ctx.object().query;
  if (typeof q !== 'string' || q.trim() === '') throw errors.queryEmpty();
  return q;
}

export function queryRoutes(r: Router): void {
  r.on('POST', '/_api/explain', (ctx) => {
    ctx.assertReadable();
    const body = ctx.object();
    const query = queryOf(ctx);
    const options = (body.options ?? {}) as Record<string, unknown>;
    const host = ctx.db.host((c) => ctx.assertWritable(c), ctx.server.clock, ctx.server.version.full);
    const allPlans = options.allPlans === true;
    const out = explainQuery(host, query, (body.bindVars ?? {}) as Record<string, unknown>, {
      allPlans,
      failOnWarning: options.failOnWarning === true,
    });
    const stats = explainStats(ctx.server.version, out.stats, out.plan.rules, profileLevel(options.profile));
    if (allPlans) {
      const plans = [out.plan];
      return okAfter({ plans, warnings: out.warnings, stats });
    }
    return okAfter({ plan: out.plan, cacheable: out.cacheable, warnings: out.warnings, stats });
  });

  r.on('POST', '/_api/query', (ctx) => {
    const parsed = parseQuery(queryOf(ctx));
    const body: Record<string, unknown> = { error: false, code: 200, parsed: true, ...parsed };
    if (hasParseWarnings(ctx.server.version)) body.warnings = [];
    return { status: 200, body };
  });

  r.on('GET', '/_api/query/properties', (ctx) => ok({ ...queryList(ctx.db).properties }));
  r.on('PUT', '/_api/query/properties', (ctx) => {
    ctx.server.assertAdmin(ctx);
    const list = queryList(ctx.db);
    list.update(ctx.object());
    return ok({ ...list.properties });
  });
  r.on('GET', '/_api/query/current', (ctx) => json(queryList(ctx.db).listCurrent()));
  r.on('GET', '/_api/query/slow', (ctx) => json(queryList(ctx.db).listSlow()));
  r.on('DELETE', '/_api/query/slow', (ctx) => {
    ctx.server.assertAdmin(ctx);
    queryList(ctx.db).clearSlow();
    return ok({});
  });
  r.on('DELETE', '/_api/query/:id', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    queryList(ctx.db).kill(p.id as string);
    return ok({});
  });
}
