import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type ArangoConnection, createLogger } from '@arangops/core';
import { ArangoError, FetchFailedError } from 'arangojs/errors';
import { describe, expect, it } from 'vitest';
import { CollectionRunner } from './collection-run.js';
import type { Collector } from './collector.js';
import { writeExposition } from './exposition/page-writer.js';
import { parseExposition } from './exposition/parse.js';
import { SelfMetrics } from './self-metrics.js';

const logger = createLogger({ level: 'silent' });

function fakeConnection(version: () => Promise<unknown>): ArangoConnection {
  const db = { name: 'test', request: version };
  return {
    database: () => db,
    withRetry: (_label: string, fn: () => Promise<unknown>) => fn(),
    endpoints: ['http://127.0.0.1:1'],
    close() {},
  } as unknown as ArangoConnection;
}

const up = fakeConnection(async () => ({ version: '3.12.10' }));

function runner(collectors: Collector[], connection = up, cardinalityLimit = 100) {
  return new CollectionRunner({
    collectors,
    connection,
    logger,
    self: new SelfMetrics(),
    version: '0.1.0',
    cardinalityLimit,
    probeTimeoutMs: 200,
  });
}

const gauge = (name: string) => ({ name, help: `${name} help`, type: 'gauge' as const });

async function page(r: CollectionRunner) {
  const families = await r.run();
  const byName = new Map(parseExposition(writeExposition(families, 'text')).map((f) => [f.name, f]));
  const value = (name: string, labels: Record<string, string> = {}) =>
    byName.get(name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  return { families, byName, value };
}

describe('CollectionRunner', () => {
  it('keeps nothing of a run once it is over: neither its results nor the work collectors shared', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const kept: Array<WeakRef<object>> = [];
    const collectors: Collector[] = (['cluster', 'server_metrics'] as const).map((name) => ({
      name,
      needsArango: true,
      timeoutMs: 1000,
      async collect(context) {
        const view = await context.shared('view', async () => ({ members: ['PRMR-1'] }));
        if (kept.length < 2) kept.push(new WeakRef(view));
        context.family(gauge(`${name}_value`)).set({ server: view.members[0] as string }, 1);
      },
    }));
    const r = runner(collectors);
    // Taken in a function of its own, so that no register of this one still holds the families.
    await (async () => {
      const families = await r.run();
      kept.push(new WeakRef(families.find((f) => f.name === 'server_metrics_value') as object));
    })();
    for (let i = 0; i < 3; i++) await r.run();
    // Not asked between collections: deref() keeps its target alive until the task ends.
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(kept.map((ref) => ref.deref())).toEqual([undefined, undefined, undefined]);
  });

  it('shares one run between concurrent scrapes', async () => {
    let runs = 0;
    const collector: Collector = {
      name: 'cluster',
      needsArango: true,
      timeoutMs: 1000,
      async collect(context) {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        context.family(gauge('x_value')).set({}, runs);
      },
    };
    const r = runner([collector]);
    const results = await Promise.all(Array.from({ length: 50 }, () => r.run()));
    expect(runs).toBe(1);
    expect(new Set(results).size).toBe(1);
    await r.run();
    expect(runs).toBe(2);
  });

  it('fails a slow collector alone at its timeout and still serves the rest', async () => {
    const slow: Collector = {
      name: 'aql',
      needsArango: true,
      timeoutMs: 50,
      async collect(context) {
        context.family(gauge('slow_value')).set({}, 1);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      },
    };
    const fast: Collector = {
      name: 'cluster',
      needsArango: true,
      timeoutMs: 1000,
      async collect(context) {
        context.family(gauge('fast_value')).set({}, 7);
      },
    };
    const { value, byName } = await page(runner([slow, fast]));
    expect(value('arangops_scrape_collector_success', { collector: 'aql' })).toBe(0);
    expect(value('arangops_scrape_collector_success', { collector: 'cluster' })).toBe(1);
    expect(value('fast_value')).toBe(7);
    expect(byName.has('slow_value')).toBe(false);
    expect(value('arangops_up')).toBe(1);
    expect(byName.get('arangops_build_info')?.samples[0]?.labels).toEqual({ version: '0.1.0' });
    expect(byName.get('arangops_arangodb_build_info')?.samples[0]?.labels).toEqual({
      version: '3.12.10',
      license: 'unknown',
    });
  });

  it('reports arangops_up 0 and cuts ArangoDB collectors short when the probe fails', async () => {
    const down = fakeConnection(async () => {
      throw new FetchFailedError('fetch failed', new Request('http://127.0.0.1:1/_api/version'));
    });
    let aborted = false;
    const cluster: Collector = {
      name: 'cluster',
      needsArango: true,
      // Far beyond the test timeout: only the failed probe can end this collector in time.
      timeoutMs: 120_000,
      async collect(context) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 120_000);
          context.signal.addEventListener('abort', () => {
            aborted = true;
            clearTimeout(timer);
            resolve();
          });
        });
        context.family(gauge('late_value')).set({}, 1);
      },
    };
    const suite: Collector = {
      name: 'suite',
      needsArango: false,
      timeoutMs: 1000,
      async collect(context) {
        context.family(gauge('suite_value')).set({}, 1);
      },
    };
    const { value, byName } = await page(runner([cluster, suite], down));
    expect(aborted).toBe(true);
    expect(byName.has('late_value')).toBe(false);
    expect(value('arangops_up')).toBe(0);
    expect(value('arangops_scrape_collector_success', { collector: 'cluster' })).toBe(0);
    expect(value('arangops_scrape_collector_success', { collector: 'suite' })).toBe(1);
    expect(value('suite_value')).toBe(1);
    // The exporter's own version stays one series whether ArangoDB answers or not.
    expect(byName.get('arangops_build_info')?.samples[0]?.labels).toEqual({ version: '0.1.0' });
    expect(byName.get('arangops_arangodb_build_info')?.samples).toEqual([]);
  });

  it('asks the probe again after one failed answer, and lets collectors run when ArangoDB answers at all', async () => {
    let probes = 0;
    const unavailable = () =>
      new ArangoError({ code: 503, errorNum: 1478, errorMessage: 'backend unavailable' });
    const flaky = fakeConnection(async () => {
      probes++;
      if (probes === 1) throw unavailable();
      return { version: '3.12.10', license: 'enterprise' };
    });
    const collector: Collector = {
      name: 'cluster',
      needsArango: true,
      timeoutMs: 1000,
      async collect(context) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        context.family(gauge('cluster_value')).set({}, 1);
      },
    };
    const once = await page(runner([collector], flaky));
    expect(probes).toBe(2);
    expect(once.value('arangops_up')).toBe(1);
    expect(once.value('cluster_value')).toBe(1);

    // Failing twice: up is 0, but the collectors were not cut short by an answer that was no outage.
    const broken = fakeConnection(async () => {
      throw unavailable();
    });
    const twice = await page(runner([collector], broken));
    expect(twice.value('arangops_up')).toBe(0);
    expect(twice.value('arangops_scrape_collector_success', { collector: 'cluster' })).toBe(1);
    expect(twice.value('cluster_value')).toBe(1);
  });

  it("caps every collector's budget by Prometheus's scrape timeout", async () => {
    let budget = 0;
    const collector: Collector = {
      name: 'aql',
      needsArango: true,
      timeoutMs: 60_000,
      async collect(context) {
        budget = context.timeoutMs;
        await new Promise((resolve) => setTimeout(resolve, 1800));
      },
    };
    const families = await runner([collector]).run({ scrapeTimeoutMs: 2000 });
    const { value } = await page({ run: async () => families } as unknown as CollectionRunner);
    expect(budget).toBe(1500);
    expect(value('arangops_scrape_collector_success', { collector: 'aql' })).toBe(0);
  });

  it('leaves no stale label sets behind when a series disappears', async () => {
    let members = ['a', 'b'];
    const collector: Collector = {
      name: 'cluster',
      needsArango: true,
      timeoutMs: 1000,
      async collect(context) {
        const family = context.family(gauge('member_value'));
        for (const member of members) family.set({ member }, 1);
      },
    };
    const r = runner([collector]);
    expect((await page(r)).byName.get('member_value')?.samples).toHaveLength(2);
    members = ['b'];
    expect((await page(r)).byName.get('member_value')?.samples.map((s) => s.labels.member)).toEqual(['b']);
  });

  it('caps label sets per family and counts what it dropped', async () => {
    const collector: Collector = {
      name: 'aql',
      needsArango: true,
      timeoutMs: 1000,
      async collect(context) {
        const family = context.family(gauge('wide_value'));
        for (let i = 0; i < 5; i++) family.set({ key: String(i) }, i);
        family.set({ key: '0' }, 10);
      },
    };
    const r = runner([collector], up, 2);
    const first = await page(r);
    expect(first.byName.get('wide_value')?.samples.map((s) => s.value)).toEqual([10, 1]);
    expect(first.value('arangops_exporter_dropped_label_sets_total', { metric: 'wide_value' })).toBe(3);
    const second = await page(r);
    expect(second.value('arangops_exporter_dropped_label_sets_total', { metric: 'wide_value' })).toBe(6);
  });
});
