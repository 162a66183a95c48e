import { performance } from 'node:perf_hooks';
import { type ArangoConnection, type Logger, toArangopsError } from '@arangops/core';
import { type Collector, requestTimeoutMs } from '../collector.js';
import type { Labels } from '../exposition/types.js';
import { AQL_METRICS } from '../metric-names.js';
import type { MetricsFile, ProfileMetric } from '../profile/metrics-file.js';
import { bindVarsAt, type ReadOnlyCheck } from '../profile/read-only.js';
import { zeroFilled } from '../profile/zero-fill.js';

interface CachedResult {
  atMs: number;
  samples: Array<{ labels: Labels; value: number }>;
}

/** What the collector remembers of one metric between scrapes. */
interface MetricState {
  /** The last successful result, served while younger than the minimum interval. */
  result?: CachedResult;
  /** Failures in a row, and when the query may run again after the last one. */
  failures: number;
  retryAtMs: number;
  /** Duration of the last run, shown on every scrape (cached ones too). */
  durationSeconds?: number;
  /** A query still running (from a scrape that ran out of time) is not started again beside it. */
  running: boolean;
  /** Label sets returned so far, for zeroFill. */
  seen: Map<string, Labels>;
}

/** Back-off after failures: never sooner than the minimum interval, doubling per failure, at most 15 min (or the interval). */
const BACKOFF_BASE_SECONDS = 10;
const BACKOFF_CAP_SECONDS = 900;

export function backoffSeconds(minIntervalSeconds: number, failures: number): number {
  const base = Math.max(minIntervalSeconds, BACKOFF_BASE_SECONDS);
  return Math.min(base * 2 ** (failures - 1), Math.max(base, BACKOFF_CAP_SECONDS));
}

function labelValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sampleOf(metric: ProfileMetric, row: unknown): { labels: Labels; value: number } | undefined {
  if (typeof row !== 'object' || row === null) throw new Error(`${metric.name}: query rows must be objects`);
  const record = row as Record<string, unknown>;
  const raw = record[metric.value];
  // null is an aggregate over nothing (MIN of no documents): no sample rather than a made-up value.
  if (raw === null) return undefined;
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
 * empties only its own family, and `arangops_aql_metric_success` says so on every scrape (the
 * collector itself fails only when its budget runs out). A
 * failed query is not run again before its back-off has passed (at least its minimum interval),
 * so an expensive query failing under load does not run on every scrape. Expensive queries
 * declare a minimum refresh interval and are served from the last result in between. A query
 * that would write is never run (see read-only.ts).
 */
export function aqlCollector(options: {
  connection: ArangoConnection;
  metrics: MetricsFile;
  readOnly: ReadOnlyCheck;
  timeoutMs: number;
  cardinalityLimit: number;
  now: () => number;
  logger: Logger;
}): Collector {
  const { metrics: file } = options;
  const states = new Map<string, MetricState>(
    file.metrics.map((metric) => [
      metric.name,
      { failures: 0, retryAtMs: 0, running: false, seen: new Map() },
    ]),
  );
  return {
    name: 'aql',
    needsArango: true,
    timeoutMs: options.timeoutMs,
    async collect(context) {
      const db = options.connection.database(file.database);
      // Kept when the collector runs out of time, so that `arangops_aql_metric_success == 0` can
      // fire then too: every metric starts at 0 and turns 1 when its value is in.
      const success = context.family(AQL_METRICS.querySuccess, { keepOnFailure: true });
      const duration = context.family(AQL_METRICS.queryDuration, { keepOnFailure: true });
      const age = context.family(AQL_METRICS.queryAge);
      for (const metric of file.metrics) {
        const state = states.get(metric.name) as MetricState;
        success.set({ metric: metric.name }, 0);
        if (state.durationSeconds !== undefined) duration.set({ metric: metric.name }, state.durationSeconds);
      }
      await Promise.all(
        file.metrics.map(async (metric) => {
          const state = states.get(metric.name) as MetricState;
          const labels = { metric: metric.name };
          const minIntervalSeconds = metric.minIntervalSeconds ?? file.defaults.minIntervalSeconds;
          const family = context.family({
            name: metric.name,
            help: profileMetricHelp(metric, minIntervalSeconds),
            type: metric.type,
          });
          const now = options.now();
          const fresh = state.result && now - state.result.atMs < minIntervalSeconds * 1000;
          let ok = fresh === true;
          if (!fresh && now >= state.retryAtMs && !state.running) {
            state.result = undefined;
            state.running = true;
            // Within the collector's budget with a margin, so that a slow query fails alone and its
            // success series stays on the page.
            const timeoutMs = Math.min(
              metric.timeoutMs ?? file.defaults.timeoutMs,
              requestTimeoutMs(context.timeoutMs),
            );
            const bindVars = bindVarsAt(metric, now);
            const started = performance.now();
            try {
              await options.readOnly.check(metric);
              const cursor = await db.query(metric.query, bindVars, {
                timeout: timeoutMs,
                maxRuntime: timeoutMs / 1000,
                // A scrape must not evict the application's working set from the block cache.
                fillBlockCache: false,
                memoryLimit: file.defaults.memoryLimitBytes,
              });
              const rows: unknown[] = await cursor.all();
              const samples = rows.map((row) => sampleOf(metric, row)).filter((s) => s !== undefined);
              state.result = { atMs: now, samples };
              state.failures = 0;
              ok = true;
            } catch (e) {
              state.failures++;
              state.retryAtMs = now + backoffSeconds(minIntervalSeconds, state.failures) * 1000;
              options.logger.warn(
                {
                  metric: metric.name,
                  err: toArangopsError(e).message,
                  retryInSeconds: (state.retryAtMs - now) / 1000,
                },
                'profile metric failed',
              );
            } finally {
              state.running = false;
              state.durationSeconds = (performance.now() - started) / 1000;
            }
          }
          success.set(labels, ok ? 1 : 0);
          if (state.durationSeconds !== undefined) duration.set(labels, state.durationSeconds);
          if (!ok || !state.result) return;
          for (const sample of state.result.samples) family.set(sample.labels, sample.value);
          if (metric.zeroFill) {
            for (const zero of zeroFilled(
              metric,
              state.seen,
              state.result.samples,
              options.cardinalityLimit,
            )) {
              family.set(zero, 0);
            }
          }
          age.set(labels, (now - state.result.atMs) / 1000);
        }),
      );
    },
  };
}
