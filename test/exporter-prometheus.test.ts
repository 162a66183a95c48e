/**
 * A real Prometheus (Debian's 2.42 package) scrapes four exporters over loopback: one on a
 * healthy deployment, one on a broken one (a FAILED DB-Server, a missing index, stale agents, a
 * stuck execution, undelivered and unpurged messages, a failed backup), one whose profile
 * queries hang, and one whose ArangoDB is down. Every alert expression the exporter README
 * documents must return series for the setup it names and none for the healthy one.
 * Prometheus asks for OpenMetrics first, so this also proves its parser accepts our page.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { arangoConfigSchema, createArangoConnection, createLocalRunRecordStore } from '@arangops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_ARANGO_URL } from './harness/arango-target.js';
import { allCollectors, exporterFor, logger, startTarget, type Target } from './harness/exporter-target.js';
import { freePort } from './harness/net.js';
import { tempDir } from './harness/temp-dir.js';
import { findTool, requireTool } from './harness/tools.js';

type Setup = 'healthy' | 'broken' | 'slow' | 'down';

interface PromVector {
  status: string;
  data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

/** The README's alert block: each expression with the broken setup it fires on. */
function documentedAlerts(): Array<{ alert: string; expr: string; setup: Setup }> {
  const readme = readFileSync(new URL('../packages/exporter/README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Alerting on the page'));
  const block = section.slice(
    section.indexOf('```yaml') + 7,
    section.indexOf('```', section.indexOf('```yaml') + 7),
  );
  const alerts = [...block.matchAll(/- alert: (\S+)\n\s+expr: (.+?)\s+# (\w+)\n/g)].map(
    ([, alert, expr, setup]) => ({
      alert: alert as string,
      expr: expr as string,
      setup: setup as Setup,
    }),
  );
  expect(alerts.length).toBe(block.match(/- alert:/g)?.length);
  return alerts;
}

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const execution = (status: string, startTime: number, totalTasks: number, failedTasks: number) => ({
  workflowId: 'w',
  status,
  startTime: iso(startTime),
  metrics: { totalTasks, failedTasks },
});

/** Documents of a deployment at rest: fresh heartbeats, a young execution, messages delivered. */
async function seedHealthy(target: Target, now: number) {
  const root = target.root();
  const db = root.database();
  await db.collection('agents').saveAll(
    ['running', 'running', 'active'].map((status, i) => ({
      name: `worker-${i}`,
      type: 'worker',
      status,
      createdAt: iso(now - 60 * MINUTE),
      metrics: {
        cpuUsage: 0.4,
        memoryUsage: 0.5,
        throughput: 100,
        errorRate: 0.01,
        lastUpdated: iso(now - 30_000),
      },
    })),
  );
  await db
    .collection('workflow_executions')
    .saveAll([execution('running', now - 5 * MINUTE, 4, 0), execution('completed', now - 60 * MINUTE, 5, 0)]);
  const [from, to] = (await (await db.query('FOR a IN agents LIMIT 2 RETURN a._id')).all()) as [
    string,
    string,
  ];
  await db.collection('agent_communications').saveAll([
    {
      _from: from,
      _to: to,
      messageType: 'result',
      status: 'delivered',
      timestamp: iso(now - MINUTE),
      ttl: iso(now + 86_400_000),
    },
    {
      _from: from,
      _to: to,
      messageType: 'result',
      status: 'pending',
      timestamp: iso(now - 30_000),
      ttl: iso(now + 86_400_000),
    },
  ]);
  root.close();
  await target.runRecords.write({
    job: 'backup',
    success: true,
    startedAt: iso(now - MINUTE),
    finishedAt: iso(now),
    durationSeconds: 60,
    summary: { collections: 3 },
  });
}

/** The same deployment gone wrong in every way the README's alerts watch. */
async function breakDeployment(target: Target, now: number) {
  const root = target.root();
  const db = root.database();
  const [from, to] = (await (await db.query('FOR a IN agents LIMIT 2 RETURN a._id')).all()) as [
    string,
    string,
  ];
  await db.collection('agents').save({
    name: 'stuck',
    type: 'worker',
    status: 'running',
    createdAt: iso(now - 60 * MINUTE),
    metrics: { errorRate: 0.2, lastUpdated: iso(now - 60 * MINUTE) },
  });
  await db
    .collection('workflow_executions')
    .saveAll([execution('running', now - 180 * MINUTE, 4, 0), execution('failed', now - 30 * MINUTE, 4, 3)]);
  await db.collection('agent_communications').saveAll([
    {
      _from: from,
      _to: to,
      messageType: 'alert',
      status: 'pending',
      timestamp: iso(now - 60 * MINUTE),
      ttl: iso(now + 86_400_000),
    },
    {
      _from: from,
      _to: to,
      messageType: 'alert',
      status: 'delivered',
      timestamp: iso(now - 180 * MINUTE),
      ttl: iso(now - 120 * MINUTE),
    },
  ]);
  await db.collection('agents').dropIndex('idx_agents_type');
  root.close();
  await target.sim?.faults.setMemberStatus('DBServer0002', 'FAILED');
  // The last success two days ago, every run since failed.
  const twoDaysAgo = now - 2 * 24 * 60 * MINUTE;
  await target.runRecords.write({
    job: 'backup',
    success: true,
    startedAt: iso(twoDaysAgo - MINUTE),
    finishedAt: iso(twoDaysAgo),
    durationSeconds: 60,
    summary: { collections: 3 },
  });
  await target.runRecords.write({
    job: 'backup',
    success: false,
    startedAt: iso(now - MINUTE),
    finishedAt: iso(now),
    durationSeconds: 60,
    summary: {},
    message: 'upload failed',
  });
}

describe('a real Prometheus scraping the exporter', () => {
  const purpose = 'scraping the exporter with a real Prometheus';
  const prometheusBinary = findTool('prometheus');
  const targets: Target[] = [];
  const closers: Array<() => Promise<void>> = [];
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  const expectedAgents = new Map<string, number>();

  beforeAll(async () => {
    if (!prometheusBinary || REAL_ARANGO_URL) return;
    const now = Date.now();
    // The broken deployment's TTL purge never runs in the test: its expired message stays.
    const [healthy, broken, slow] = await Promise.all([
      startTarget('3.12.10', 'cluster', { seed: false }),
      startTarget('3.12.10', 'cluster', { seed: false, ttlIntervalMs: 86_400_000 }),
      startTarget('3.12.10', 'cluster', { seed: false }),
    ]);
    targets.push(healthy, broken, slow);
    await seedHealthy(healthy, now);
    await seedHealthy(broken, now);
    await breakDeployment(broken, now);
    slow.sim?.faults.addLatency('^POST /_api/cursor', 30_000);
    expectedAgents.set('running', 2).set('active', 1);

    const listen = { host: '127.0.0.1', port: 0 };
    const servers: Array<[Setup, string]> = [];
    for (const [setup, target] of [
      ['healthy', healthy],
      ['broken', broken],
      ['slow', slow],
    ] as const) {
      const server = await (await exporterFor(target, { ...allCollectors(), ...listen })).start();
      closers.push(server.close);
      servers.push([setup, server.url]);
    }
    // ArangoDB down: nothing listens where the exporter connects.
    const nowhere = createArangoConnection(
      arangoConfigSchema.parse({
        url: [`http://127.0.0.1:${await freePort()}`],
        password: 'x',
        retries: { max: 0 },
      }),
      { logger },
    );
    const down = await (
      await exporterFor(
        {
          ...healthy,
          exporterConnection: nowhere,
          runRecords: createLocalRunRecordStore(tempDir('down-runs')),
        },
        {
          ...allCollectors(),
          ...listen,
        },
      )
    ).start();
    closers.push(async () => {
      await down.close();
      nowhere.close();
    });
    servers.push(['down', down.url]);

    const storage = tempDir('prometheus');
    const configFile = join(storage, 'prometheus.yml');
    writeFileSync(
      configFile,
      [
        'global:',
        // The exporter caps its collectors by the scrape timeout Prometheus sends (here 4 s).
        '  scrape_interval: 4s',
        '  scrape_timeout: 4s',
        'scrape_configs:',
        '  - job_name: arangops',
        '    static_configs:',
        ...servers.flatMap(([setup, url]) => [
          `      - targets: ['${new URL(url).host}']`,
          `        labels: { setup: ${setup} }`,
        ]),
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      prometheusBinary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(storage, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
  }, 120_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => prometheus?.kill('SIGKILL'))]);
    }
    for (const close of closers) await close();
    for (const target of targets) await target.stop();
  });

  async function query(promql: string): Promise<PromVector['data']['result']> {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as PromVector;
    if (body.status !== 'success') throw new Error(`query failed: ${promql}`);
    return body.data.result;
  }

  /** Polls until the query returns something (Prometheus needs a scrape or two first). */
  async function eventually(promql: string, timeoutMs = 60_000): Promise<PromVector['data']['result']> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const result = await query(promql);
        if (result.length > 0) return result;
      } catch {
        // Prometheus still starting
      }
      if (Date.now() > deadline) throw new Error(`no result for ${promql} within ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  it('scrapes every page, and PromQL returns the agent counts of the healthy deployment', async (ctx) => {
    if (REAL_ARANGO_URL) ctx.skip();
    requireTool('prometheus', purpose, ctx);
    expect(await eventually('count(up{job="arangops"} == 1) == 4')).toHaveLength(1);
    const byStatus = await eventually('sum by (status) (codevaldcortex_agents{setup="healthy"}) > 0');
    expect(new Map(byStatus.map((r) => [r.metric.status as string, Number(r.value[1])]))).toEqual(
      expectedAgents,
    );
    // Known states are series at 0, not missing ones.
    expect(await eventually('codevaldcortex_agents{setup="healthy",status="error"} == 0')).toHaveLength(1);
    // Prometheus asked for OpenMetrics; a page its parser rejected would show as a scrape error.
    const targetsBody = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as {
      data: { activeTargets: Array<{ health: string; lastError: string }> };
    };
    expect(targetsBody.data.activeTargets.map((t) => [t.health, t.lastError])).toEqual(
      Array.from({ length: 4 }, () => ['up', '']),
    );
    expect(await eventually('arangops_server_metrics_up{setup="healthy"} == 1')).not.toHaveLength(0);
    expect(await eventually('process_resident_memory_bytes{setup="healthy"} > 0')).toHaveLength(1);
  }, 120_000);

  it('fires every documented alert on its broken setup and none on the healthy one', async (ctx) => {
    if (REAL_ARANGO_URL) ctx.skip();
    requireTool('prometheus', purpose, ctx);
    // Every setup scraped with its data in place first.
    await eventually('codevaldcortex_agents{setup="healthy",status="running"} == 2');
    await eventually('codevaldcortex_agents{setup="broken",status="running"} == 3');
    await eventually('arangops_up{setup="down"} == 0');
    const alerts = documentedAlerts();
    expect(new Set(alerts.map((a) => a.setup))).toEqual(new Set(['broken', 'slow', 'down']));
    for (const { alert, expr, setup } of alerts) {
      const fired = await eventually(`(${expr}) and on(instance) (up{setup="${setup}"})`).catch(() => []);
      expect(fired.length, `${alert} on ${setup}: ${expr}`).toBeGreaterThan(0);
      const healthy = await query(`(${expr}) and on(instance) (up{setup="healthy"})`);
      expect(healthy, `${alert} on healthy: ${expr}`).toEqual([]);
    }
  }, 240_000);
});
