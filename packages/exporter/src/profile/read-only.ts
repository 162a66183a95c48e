import { type ArangoConnection, InputError } from '@arangops/core';
import type { MetricsFile, ProfileMetric } from './metrics-file.js';

/** Execution plan nodes that write (ArangoDB's modification nodes). */
const MODIFICATION_NODES = new Set(['InsertNode', 'UpdateNode', 'ReplaceNode', 'RemoveNode', 'UpsertNode']);

function timeBindValue(spec: ProfileMetric['timeBindVars'][string], nowMs: number): string | number {
  const at = nowMs - spec.secondsAgo * 1000;
  if (spec.format === 'unixSeconds') return Math.floor(at / 1000);
  if (spec.format === 'unixMilliseconds') return at;
  return new Date(at).toISOString();
}

/** The bind parameters of a metric's query at a given time (its timeBindVars computed then). */
export function bindVarsAt(metric: ProfileMetric, nowMs: number): Record<string, unknown> {
  const bindVars: Record<string, unknown> = { ...metric.bindVars };
  for (const [name, spec] of Object.entries(metric.timeBindVars)) bindVars[name] = timeBindValue(spec, nowMs);
  return bindVars;
}

export interface ReadOnlyCheck {
  /** Resolves once the metric's plan is known to be read-only; rejects with an InputError when it writes. */
  check(metric: ProfileMetric): Promise<void>;
}

/**
 * Profile metrics run as the scrape's user on every scrape: a query that writes (`UPDATE … IN
 * agents`) would rewrite data each time, and with a root connection nothing stops it. Each
 * query's plan is explained once, before it first runs, and a plan with a modification node is
 * refused for good. The verdict is kept; a failed explain (ArangoDB down) is asked again.
 */
export function readOnlyCheck(options: {
  connection: ArangoConnection;
  metrics: MetricsFile;
  file: string;
  now: () => number;
}): ReadOnlyCheck {
  const verdicts = new Map<string, Promise<void>>();
  const explain = async (metric: ProfileMetric) => {
    const plan = (await options.connection
      .database(options.metrics.database)
      .explain({ query: metric.query, bindVars: bindVarsAt(metric, options.now()) })) as {
      plan?: { nodes?: Array<{ type?: string }> };
    };
    const writes = [...new Set((plan.plan?.nodes ?? []).map((n) => n.type ?? ''))].filter((t) =>
      MODIFICATION_NODES.has(t),
    );
    if (writes.length > 0) {
      throw new InputError(
        `profile metric ${metric.name} would write (${writes.join(', ')}): metrics queries must be read-only`,
        { file: options.file, field: `metrics.${options.metrics.metrics.indexOf(metric)}.query` },
      );
    }
  };
  return {
    check(metric) {
      let verdict = verdicts.get(metric.name);
      if (!verdict) {
        verdict = explain(metric);
        verdicts.set(metric.name, verdict);
        // Only a refusal is final: an explain that could not run is tried again next time.
        verdict.catch((e: unknown) => {
          if (!(e instanceof InputError)) verdicts.delete(metric.name);
        });
      }
      return verdict;
    },
  };
}
