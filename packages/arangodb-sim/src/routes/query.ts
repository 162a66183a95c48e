import { explainQuery, parseQuery } from '../aql/index.js';
import type { Ctx } from '../http/context.js';
import { okAfter } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { errors } from '../storage/errors.js';
import { hasExplainRuleStats, hasParseWarnings, type VersionInfo } from '../version.js';

/** Explain `stats` as real servers order them; `rules` (per-rule timings) only fills with `profile`. */
function explainStats(v: VersionInfo, raw: Record<string, unknown>): Record<string, unknown> {
  const n = (k: string): number => (typeof raw[k] === 'number' ? (raw[k] as number) : 0);
  const s: Record<string, unknown> = {
    rulesExecuted: n('rulesExecuted'),
    rulesSkipped: n('rulesSkipped'),
    plansCreated: n('plansCreated') || 1,
  };
  if (hasExplainRuleStats(v)) s.rules = {};
  return { ...s, peakMemoryUsage: n('peakMemoryUsage'), executionTime: n('executionTime') };
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
    }) as unknown as Record<string, unknown>;
    const stats = explainStats(ctx.server.version, (out.stats ?? {}) as Record<string, unknown>);
    if (allPlans) {
      const plans = Array.isArray(out.plans) ? out.plans : [out.plan];
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
}
