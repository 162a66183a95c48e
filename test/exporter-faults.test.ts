/**
 * The exporter under the faults of issue 16, injected through the simulator, and the rows every
 * profile query reads on a database ten times the default seed (from the cursor statistics).
 * Simulator only: a real server cannot be broken on purpose.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Simulator } from '@arangops/arangodb-sim';
import { arangoConfigSchema, createArangoConnection } from '@arangops/core';
import { bindVarsAt, loadMetricsFile, type ProfileMetric } from '@arangops/exporter';
import { describe, expect, it } from 'vitest';
import { REAL_ARANGO_URL } from './harness/arango-target.js';
import {
  allCollectors,
  exporterFor,
  logger,
  METRICS_FILE,
  promtoolCheck,
  sampleValue,
  useTarget,
} from './harness/exporter-target.js';

const PROFILE = loadMetricsFile(METRICS_FILE);
const HOUR = 3_600_000;

/** A TCP server that accepts connections and never answers: a blackholed host. */
async function blackhole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const samples = (page: string, name: string) =>
  page.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

if (REAL_ARANGO_URL) {
  console.warn(`SKIP (real ArangoDB at ${REAL_ARANGO_URL}): exporter fault tests need the simulator`);
} else {
  describe('exporter under faults (issue 16)', () => {
    const current = useTarget('3.12.10');
    const sim = () => current().sim as Simulator;

    it('rides out one 503 on the version probe, and lets collectors report for themselves on two', async () => {
      const exporter = await exporterFor(current());
      await exporter.collect();
      sim().faults.failNext('/_api/version', 1, 503, 503, 'service unavailable');
      try {
        const page = await exporter.collect();
        expect(sampleValue(page, 'arangops_up')).toBe(1);
        for (const collector of ['cluster', 'server_metrics', 'collections', 'aql']) {
          expect(sampleValue(page, 'arangops_scrape_collector_success', { collector }), collector).toBe(1);
        }
        sim().faults.failNext('/_api/version', 2, 503, 503, 'service unavailable');
        const twice = await exporter.collect();
        expect(sampleValue(twice, 'arangops_up')).toBe(0);
        // ArangoDB answered, only not the probe: no series is taken off the page for it.
        expect(sampleValue(twice, 'arangops_scrape_collector_success', { collector: 'cluster' })).toBe(1);
        expect(sampleValue(twice, 'arangops_cluster_member_status', { status: 'GOOD' })).toBeDefined();
        expect(sampleValue(twice, 'arangops_build_info')).toBe(1);
        expect(sampleValue(twice, 'arangops_arangodb_build_info')).toBeUndefined();
      } finally {
        await sim().faults.reset();
      }
    });

    it('drops a blackholed agent alone, before the collector runs out of time', async () => {
      const hole = await blackhole();
      const agent = createArangoConnection(
        arangoConfigSchema.parse({ url: [hole.url], password: 'x', retries: { max: 0 } }),
        { logger },
      );
      try {
        const exporter = await exporterFor(
          current(),
          allCollectors({ serverMetrics: { enabled: true, timeoutMs: 4000 } }),
          { agents: [{ endpoint: `${hole.url}/`, connection: agent }] },
        );
        const page = await exporter.collect();
        expect(sampleValue(page, 'arangops_scrape_collector_success', { collector: 'server_metrics' })).toBe(
          1,
        );
        // The agent's request ended before the collector's deadline (4 s), not at it.
        expect(
          sampleValue(page, 'arangops_scrape_collector_duration_seconds', { collector: 'server_metrics' }),
        ).toBeLessThan(3.9);
        expect(sampleValue(page, 'arangops_server_metrics_up', { server: new URL(hole.url).host })).toBe(0);
        expect(sampleValue(page, 'arangops_server_metrics_up', { role: 'PRIMARY' })).toBe(1);
        expect(samples(page, 'arangodb_scheduler_jobs_done_total').length).toBeGreaterThan(0);
      } finally {
        agent.close();
        await hole.close();
      }
    });

    it("keeps every collector within Prometheus's scrape timeout", { timeout: 30_000 }, async () => {
      const hole = await blackhole();
      const agent = createArangoConnection(
        arangoConfigSchema.parse({ url: [hole.url], password: 'x', retries: { max: 0 } }),
        { logger },
      );
      // A 60 s budget: without the scrape timeout's cap this scrape would wait for the blackhole.
      const exporter = await exporterFor(
        current(),
        {
          ...allCollectors({ serverMetrics: { enabled: true, timeoutMs: 60_000 } }),
          host: '127.0.0.1',
          port: 0,
        },
        { agents: [{ endpoint: hole.url, connection: agent }] },
      );
      const server = await exporter.start();
      try {
        // The warm-up run (Prometheus's default 10 s budget) is over before the scrape is counted.
        while ((await fetch(`${server.url}/readyz`)).status !== 200)
          await new Promise((r) => setTimeout(r, 100));
        const page = await (
          await fetch(`${server.url}/metrics`, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '2' } })
        ).text();
        const took = sampleValue(page, 'arangops_scrape_collector_duration_seconds', {
          collector: 'server_metrics',
        });
        expect(took).toBeLessThan(2);
        expect(sampleValue(page, 'arangops_server_metrics_up', { server: new URL(hole.url).host })).toBe(0);
      } finally {
        await server.close();
        agent.close();
        await hole.close();
      }
    });

    it('backs off failing profile queries, and keeps their success and duration series on the page', async (ctx) => {
      let now = Date.now();
      const exporter = await exporterFor(current(), allCollectors({ aql: { timeoutMs: 1000 } }), {
        now: () => now,
      });
      sim().faults.addLatency('^POST /_api/cursor', 3000);
      sim().state.clearRequestLog();
      const names = PROFILE.metrics.map((m) => m.name);
      try {
        for (let scrape = 0; scrape < 4; scrape++) {
          const page = await exporter.collect();
          for (const metric of names) {
            expect(sampleValue(page, 'arangops_aql_metric_success', { metric }), metric).toBe(0);
          }
          expect(promtoolCheck(page, ctx).status).toBe(0);
          now += 2000;
        }
        // Once the queries cut short by the deadline have failed, every duration is on the page too
        // (the clock stands still meanwhile: still within every back-off).
        const durations = (page: string) =>
          names.filter(
            (metric) => sampleValue(page, 'arangops_aql_metric_duration_seconds', { metric }) !== undefined,
          );
        let settled = await exporter.collect();
        for (let i = 0; i < 40 && durations(settled).length < names.length; i++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          settled = await exporter.collect();
        }
        expect(durations(settled)).toEqual(names);
        for (const metric of names) {
          expect(sampleValue(settled, 'arangops_aql_metric_success', { metric }), metric).toBe(0);
        }
        // Each query ran once in all these scrapes: the back-off (10 s at least) held the rest. The
        // simulator logs a request when it answers it, after its latency.
        await new Promise((resolve) => setTimeout(resolve, 3500));
        const cursors = sim().state.requestLog.filter(
          (e) => e.method === 'POST' && e.path === '/_api/cursor',
        );
        expect(cursors).toHaveLength(names.length);
      } finally {
        await sim().faults.reset();
      }
      // Healthy again after the back-off; the 300 s metric is then served from its cache with its duration.
      now += 600_000;
      expect(
        sampleValue(await exporter.collect(), 'arangops_aql_metric_success', { metric: names[0] as string }),
      ).toBe(1);
      now += 10_000;
      const cached = await exporter.collect();
      const expensive = 'codevaldcortex_communications_expired_oldest_age_seconds';
      expect(sampleValue(cached, 'arangops_aql_metric_age_seconds', { metric: expensive })).toBe(10);
      expect(
        sampleValue(cached, 'arangops_aql_metric_duration_seconds', { metric: expensive }),
      ).toBeDefined();
    }, 60_000);

    it('compares times as times: offsets, fractions, agents that never sent a heartbeat', async () => {
      const now = Date.now();
      // Offsets chosen so that a string comparison with UTC bounds gets each one wrong.
      const at = (ms: number, offsetHours: number) => {
        const local = new Date(ms + offsetHours * HOUR).toISOString().slice(0, 19);
        const sign = offsetHours < 0 ? '-' : '+';
        return `${local}${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
      };
      const root = current().root();
      const db = root.database();
      try {
        await db.collection('agents').saveAll([
          {
            name: 'tz-1',
            type: 'tz-test',
            status: 'running',
            createdAt: at(now, 0),
            metrics: { lastUpdated: at(now - 600_000, 14) },
          },
          {
            name: 'tz-2',
            type: 'tz-test',
            status: 'running',
            createdAt: at(now, 0),
            metrics: { lastUpdated: new Date(now - 60_500).toISOString() },
          },
          { name: 'silent', type: 'silent-test', status: 'running', createdAt: at(now, 0) },
        ]);
        await db.collection('workflow_executions').saveAll([
          // Inside the window, but its string sorts before a UTC bound 24 h ago.
          { workflowId: 'tz', status: 'running', startTime: at(now - 23 * HOUR, -10) },
          // Outside the window, but its string sorts after that bound.
          { workflowId: 'tz', status: 'running', startTime: at(now - 25 * HOUR, 14) },
        ]);
        const page = await (await exporterFor(current(), allCollectors(), { now: () => now })).collect();
        expect(
          sampleValue(page, 'codevaldcortex_agent_heartbeat_oldest_timestamp_seconds', { type: 'tz-test' }),
        ).toBe((now - 600_000) / 1000 - ((now - 600_000) % 1000) / 1000);
        expect(
          sampleValue(page, 'codevaldcortex_agent_heartbeat_oldest_timestamp_seconds', {
            type: 'silent-test',
          }),
        ).toBe(0);

        // The expectations come from the raw documents, parsed as dates.
        const executions = (await (
          await db.query('FOR e IN workflow_executions RETURN { status: e.status, startTime: e.startTime }')
        ).all()) as Array<{ status: string; startTime: string | null }>;
        const started = new Map<string, number>();
        for (const e of executions) {
          if (e.startTime && Date.parse(e.startTime) >= now - 24 * HOUR)
            started.set(e.status, (started.get(e.status) ?? 0) + 1);
        }
        for (const [status, count] of started) {
          expect(
            sampleValue(page, 'codevaldcortex_workflow_executions_started_24h', { status }),
            status,
          ).toBe(count);
        }
        const running = executions.filter((e) => e.status === 'running' && e.startTime);
        expect(sampleValue(page, 'codevaldcortex_workflow_execution_oldest_start_timestamp_seconds')).toBe(
          Math.min(...running.map((e) => Date.parse(e.startTime as string))) / 1000,
        );

        const comms = (await (
          await db.query(
            'FOR c IN agent_communications RETURN { status: c.status, timestamp: c.timestamp, ttl: c.ttl }',
          )
        ).all()) as Array<{ status: string; timestamp: string; ttl: string | number }>;
        const expiries = comms
          .map((c) => (typeof c.ttl === 'number' ? c.ttl * 1000 : Date.parse(c.ttl)))
          .filter((ms) => ms < now);
        expect(sampleValue(page, 'codevaldcortex_communications_expired_oldest_age_seconds')).toBe(
          expiries.length > 0 ? (now - Math.min(...expiries)) / 1000 : 0,
        );
        const pending = comms.filter((c) => c.status === 'pending').map((c) => Date.parse(c.timestamp));
        expect(
          sampleValue(page, 'codevaldcortex_communication_oldest_undelivered_timestamp_seconds', {
            status: 'pending',
          }),
        ).toBe(Math.min(...pending) / 1000);
        // Known states are there at 0 rather than missing.
        expect(
          sampleValue(page, 'codevaldcortex_workflow_executions_started_24h', { status: 'pending' }),
        ).toBe(started.get('pending') ?? 0);
        expect(sampleValue(page, 'codevaldcortex_communications', { status: 'sent' })).toBe(0);
      } finally {
        await db.query('FOR a IN agents FILTER a.name IN ["tz-1", "tz-2", "silent"] REMOVE a IN agents');
        await db.query(
          'FOR e IN workflow_executions FILTER e.workflowId == "tz" REMOVE e IN workflow_executions',
        );
        root.close();
      }
    });
  });

  describe('profile queries on a database ten times the default seed', () => {
    const current = useTarget('3.12.10', 'cluster', {
      seed: { agents: 2000, executions: 10_000, communications: 20_000 },
    });

    it('reads no more rows per query than the documents in its state or window', async () => {
      const now = Date.now();
      const root = current().root();
      const all = async (query: string) =>
        (await (await root.database().query(query)).all()) as Array<Record<string, string>>;
      const agents = await all('FOR a IN agents RETURN { status: a.status }');
      const executions = await all(
        'FOR e IN workflow_executions RETURN { status: e.status, startTime: e.startTime }',
      );
      const comms = await all('FOR c IN agent_communications RETURN { status: c.status }');
      root.close();
      const count = <T>(rows: T[], keep: (row: T) => boolean) => rows.filter(keep).length;
      const live = count(agents, (a) =>
        ['pending', 'active', 'running', 'error'].includes(a.status as string),
      );
      const running = count(agents, (a) => a.status === 'running');
      const active = count(executions, (e) => e.status === 'pending' || e.status === 'running');
      const runningExecutions = count(executions, (e) => e.status === 'running');
      // The index range of the 24 h window reaches 14 h further back (UTC offsets; see metrics.yaml)
      // and compares strings: a start time without milliseconds in the boundary second is in range.
      const loose = new Date(now - 38 * HOUR).toISOString();
      const window = count(executions, (e) => !!e.startTime && e.startTime >= loose);
      const undelivered = count(comms, (c) => ['pending', 'sent', 'failed'].includes(c.status as string));
      // The rows each metric may read: documents in its state or window. A full scan only every 300 s.
      const bounds: Record<string, number> = {
        codevaldcortex_agents: live,
        codevaldcortex_agent_heartbeat_oldest_timestamp_seconds: running,
        codevaldcortex_agent_cpu_usage_sum_ratio: running,
        codevaldcortex_agent_cpu_usage_max_ratio: running,
        codevaldcortex_agent_memory_usage_sum_ratio: running,
        codevaldcortex_agent_memory_usage_max_ratio: running,
        codevaldcortex_agent_error_rate_sum_ratio: running,
        codevaldcortex_agent_error_rate_max_ratio: running,
        codevaldcortex_agent_throughput_per_second: running,
        codevaldcortex_workflow_executions: active,
        codevaldcortex_workflow_execution_oldest_start_timestamp_seconds: runningExecutions,
        codevaldcortex_workflow_executions_started_24h: window,
        codevaldcortex_workflow_tasks_24h: window,
        codevaldcortex_workflow_tasks_failed_24h: window,
        codevaldcortex_communications: undelivered,
        codevaldcortex_communication_oldest_undelivered_timestamp_seconds: undelivered,
        codevaldcortex_communications_expired_oldest_age_seconds: comms.length,
      };
      expect(Object.keys(bounds).sort()).toEqual(PROFILE.metrics.map((m) => m.name).sort());
      // The growing collections are read in a small part only.
      expect(active).toBeLessThan(executions.length / 2);
      expect(window).toBeLessThan(executions.length / 4);
      expect(undelivered).toBeLessThan(comms.length / 10);

      const db = current().exporterConnection.database('codevaldcortex');
      for (const metric of PROFILE.metrics as ProfileMetric[]) {
        const cursor = await db.query(metric.query, bindVarsAt(metric, now));
        await cursor.all();
        const stats = cursor.extra.stats as { scannedFull: number; scannedIndex: number };
        const scanned = stats.scannedFull + stats.scannedIndex;
        expect(scanned, metric.name).toBeLessThanOrEqual(bounds[metric.name] as number);
        if (stats.scannedFull > 0) expect(metric.minIntervalSeconds, metric.name).toBeGreaterThanOrEqual(300);
      }
    }, 120_000);
  });
}
