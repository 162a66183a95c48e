import { type ArangoConnection, createLogger, InputError } from '@arangops/core';
import { describe, expect, it } from 'vitest';
import { CollectionRunner } from '../collection-run.js';
import { writeExposition } from '../exposition/page-writer.js';
import { parseExposition } from '../exposition/parse.js';
import { parseMetricsFile } from '../profile/metrics-file.js';
import { readOnlyCheck } from '../profile/read-only.js';
import { SelfMetrics } from '../self-metrics.js';
import { aqlCollector, backoffSeconds } from './aql.js';

const logger = createLogger({ level: 'silent' });

interface Call {
  query: string;
  options: Record<string, unknown>;
}

/** A database whose queries answer from `rows` (or throw), and whose explain shows `planNodes`. */
function fakeDatabase(rows: (query: string) => unknown[], planNodes: string[] = ['SingletonNode']) {
  const calls: Call[] = [];
  const db = {
    name: 'codevaldcortex',
    async request() {
      return { version: '3.12.10' };
    },
    async query(query: string, _bindVars: unknown, options: Record<string, unknown>) {
      calls.push({ query, options });
      const result = rows(query);
      return { all: async () => result };
    },
    async explain() {
      return { plan: { nodes: planNodes.map((type) => ({ type })) } };
    },
  };
  const connection = {
    database: () => db,
    withRetry: (_l: string, fn: () => Promise<unknown>) => fn(),
    endpoints: ['http://127.0.0.1:8529'],
    close() {},
  } as unknown as ArangoConnection;
  return { connection, calls };
}

const FILE = `version: 1
metrics:
  - name: things
    help: Things by state.
    labels: [state, kind]
    zeroFill: true
    labelValues: { state: [open, stuck] }
    query: FOR t IN things RETURN t
  - name: slow_thing_age_seconds
    help: Expensive.
    minIntervalSeconds: 300
    query: FOR t IN big RETURN t
`;

function setup(rows: (query: string) => unknown[], planNodes?: string[]) {
  const metrics = parseMetricsFile(FILE, 'metrics.yaml');
  const { connection, calls } = fakeDatabase(rows, planNodes);
  let now = 1_000_000;
  const collector = aqlCollector({
    connection,
    metrics,
    readOnly: readOnlyCheck({ connection, metrics, file: 'metrics.yaml', now: () => now }),
    timeoutMs: 1000,
    cardinalityLimit: 100,
    now: () => now,
    logger,
  });
  const runner = new CollectionRunner({
    collectors: [collector],
    connection,
    logger,
    self: new SelfMetrics(),
    version: '0.1.0',
    cardinalityLimit: 100,
    probeTimeoutMs: 500,
  });
  const scrape = async (advanceSeconds = 0) => {
    now += advanceSeconds * 1000;
    const families = parseExposition(writeExposition(await runner.run(), 'text'));
    return (name: string, labels: Record<string, string> = {}) =>
      families
        .find((f) => f.name === name)
        ?.samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .map((s) => s.value);
  };
  return { calls, scrape };
}

describe('aql collector', () => {
  it('runs queries without filling the block cache and within a memory limit', async () => {
    const { calls, scrape } = setup(() => [{ value: 1, state: 'open', kind: 'a' }]);
    await scrape();
    for (const call of calls) {
      expect(call.options).toMatchObject({ fillBlockCache: false, memoryLimit: 32 * 1024 * 1024 });
    }
  });

  it('reports 0 for known and earlier label sets instead of dropping them', async () => {
    let rows = [
      { state: 'open', kind: 'a', value: 2 },
      { state: 'closed', kind: 'b', value: 1 },
    ];
    const { scrape } = setup((q) => (q.includes('things') ? rows : [{ value: 1 }]));
    const first = await scrape();
    expect(first('things', { state: 'open', kind: 'a' })).toEqual([2]);
    // Declared values, combined with the kinds seen, from the first scrape on.
    expect(first('things', { state: 'stuck', kind: 'a' })).toEqual([0]);
    expect(first('things', { state: 'stuck', kind: 'b' })).toEqual([0]);
    rows = [{ state: 'open', kind: 'a', value: 3 }];
    const second = await scrape(1);
    expect(second('things', { state: 'closed', kind: 'b' })).toEqual([0]);
    expect(second('things', { state: 'open', kind: 'a' })).toEqual([3]);
  });

  it('backs off after a failure (at least the minimum interval), and keeps success and duration on the page', async () => {
    let failing = true;
    const { calls, scrape } = setup((q) => {
      if (failing) throw new Error('query timed out');
      return q.includes('things') ? [] : [{ value: 5 }];
    });
    const ran = (table: string) => calls.filter((c) => c.query.includes(table)).length;
    for (let i = 0; i < 4; i++) {
      const value = await scrape(i === 0 ? 0 : 5);
      // Every scrape, failing or backing off, says so for every metric.
      expect(value('arangops_aql_metric_success')).toEqual([0, 0]);
      expect(value('arangops_aql_metric_duration_seconds')).toHaveLength(2);
      expect(value('arangops_scrape_collector_success')).toEqual([1]);
    }
    // 15 s after the first failure: the cheap query was retried once (after 10 s), the expensive one never.
    expect(ran('things')).toBe(2);
    expect(ran('big')).toBe(1);
    failing = false;
    const later = await scrape(300);
    expect(later('slow_thing_age_seconds')).toEqual([5]);
    expect(later('arangops_aql_metric_success')).toEqual([1, 1]);
    // Served from its cache next time, with the duration of the last run still there.
    const cached = await scrape(10);
    expect(ran('big')).toBe(2);
    expect(cached('arangops_aql_metric_duration_seconds', { metric: 'slow_thing_age_seconds' })).toHaveLength(
      1,
    );
    expect(cached('arangops_aql_metric_age_seconds', { metric: 'slow_thing_age_seconds' })).toEqual([10]);
  });

  it('grows the back-off with repeated failures, from the minimum interval', () => {
    expect(backoffSeconds(0, 1)).toBe(10);
    expect(backoffSeconds(0, 3)).toBe(40);
    expect(backoffSeconds(0, 20)).toBe(900);
    expect(backoffSeconds(300, 1)).toBe(300);
    expect(backoffSeconds(300, 2)).toBe(600);
    expect(backoffSeconds(3600, 5)).toBe(3600);
  });

  it('never runs a query whose plan writes', async () => {
    const { calls, scrape } = setup(() => [{ value: 1 }], ['SingletonNode', 'UpdateNode']);
    const value = await scrape();
    expect(calls).toEqual([]);
    expect(value('arangops_aql_metric_success')).toEqual([0, 0]);
  });

  it('names the file and the metric when it refuses a writing query', async () => {
    const metrics = parseMetricsFile(FILE, 'metrics.yaml');
    const { connection } = fakeDatabase(() => [], ['SingletonNode', 'EnumerateCollectionNode', 'UpdateNode']);
    const check = readOnlyCheck({ connection, metrics, file: 'profiles/x/metrics.yaml', now: Date.now });
    const error = await check.check(metrics.metrics[0] as (typeof metrics.metrics)[number]).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/things would write \(UpdateNode\)/);
    expect(error.message).toContain('profiles/x/metrics.yaml');
  });
});
