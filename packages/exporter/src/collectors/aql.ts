import { performance } from 'node:perf_hooks';
import { type ArangoConnection, type Logger, toArangopsError } from '@arangops/core';
import type { Collector } from '../collector.js';
import type { Labels } from '../exposition/types.js';
import { AQL_METRICS } from '../metric-names.js';
import type { MetricsFile, ProfileMetric } from '../profile/metrics-file.js';

interface CachedResult {
  atMs: number;
  samples: Array<{ labels: Labels; value: number }>;
}

function timeBindValue(spec: ProfileMetric['timeBindVars'][string], nowMs: number): string | number {
  const at = nowMs - spec.secondsAgo * 1000;
  if (spec.format === 'unixSeconds') return Math.floor(at / 1000);
  if (spec.format === 'unixMilliseconds') return at;
  return new Date(at).toISOString();
}

function labelValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sampleOf(metric: ProfileMetric, row: unknown): { labels: Labels; value: number } {
  if (typeof row !== 'object' || row === null) throw new Error(`${metric.name}: query rows must be objects`);
  const record = row as Record<string, unknown>;
  const raw = record[metric.value];
  const value = typeof raw === 'boolean' ? Number(raw) : raw;
  if (typeof value !== 'number') {
    throw new Error(`${metric.name}: column ${metric.value} is ${JSON.stringify(raw)}, not a number`);
  }
  const labels: Labels = {};
  for (const label of metric.labels) labels[label] = labelValue(record[label]);
  return { labels, value };
}

/** HELP of a cached metric says how old the value may be, as the exporter guidelines ask. */
export function profileMetricHelp(metric: ProfileMetric, minIntervalSeconds: number): string {
  return minIntervalSeconds > 0
    ? `${metric.help} (Refreshed at most every ${minIntervalSeconds} s; the value may be that old.)`
    : metric.help;
}

/**
 * The profile's AQL-backed metrics. Each query runs with its own timeout; one failing query
 * empties only its own family (see arangops_aql_metric_success). Expensive queries declare a
 * minimum refresh interval and are served from the last result in between.
 */
export function aqlCollector(options: {
  connection: ArangoConnection;
  metrics: MetricsFile;
  timeoutMs: number;
  now: () => number;
  logger: Logger;
}): Collector {
  const cache = new Map<string, CachedResult>();
  const { metrics: file } = options;
  return {
    name: 'aql',
    needsArango: true,
    timeoutMs: options.timeoutMs,
    async collect(context) {
      const db = options.connection.database(file.database);
      const success = context.family(AQL_METRICS.querySuccess);
      const duration = context.family(AQL_METRICS.queryDuration);
      const age = context.family(AQL_METRICS.queryAge);
      const outcomes = await Promise.all(
        file.metrics.map(async (metric) => {
          const minIntervalSeconds = metric.minIntervalSeconds ?? file.defaults.minIntervalSeconds;
          const family = context.family({
            name: metric.name,
            help: profileMetricHelp(metric, minIntervalSeconds),
            type: metric.type,
          });
          const now = options.now();
          let result = cache.get(metric.name);
          if (!result || now - result.atMs >= minIntervalSeconds * 1000) {
            const timeoutMs = Math.min(metric.timeoutMs ?? file.defaults.timeoutMs, context.timeoutMs);
            const bindVars: Record<string, unknown> = { ...metric.bindVars };
            for (const [name, spec] of Object.entries(metric.timeBindVars)) {
              bindVars[name] = timeBindValue(spec, now);
            }
            const started = performance.now();
            try {
              const cursor = await db.query(metric.query, bindVars, {
                timeout: timeoutMs,
                maxRuntime: timeoutMs / 1000,
              });
              const rows: unknown[] = await cursor.all();
              result = { atMs: now, samples: rows.map((row) => sampleOf(metric, row)) };
              cache.set(metric.name, result);
            } catch (e) {
              options.logger.warn(
                { metric: metric.name, err: toArangopsError(e).message },
                'profile metric failed',
              );
              cache.delete(metric.name);
              success.set({ metric: metric.name }, 0);
              return false;
            } finally {
              duration.set({ metric: metric.name }, (performance.now() - started) / 1000);
            }
          }
          for (const sample of result.samples) family.set(sample.labels, sample.value);
          success.set({ metric: metric.name }, 1);
          age.set({ metric: metric.name }, (now - result.atMs) / 1000);
          return true;
        }),
      );
      if (!outcomes.some(Boolean)) throw new Error('every profile AQL metric failed');
    },
  };
}
