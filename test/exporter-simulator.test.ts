/**
 * The exporter against the ArangoDB simulator in cluster mode (3.11 and 3.12), or against a
 * real ArangoDB when ARANGO_URL is set: promtool-clean page with every collector on, profile
 * queries served by indexes, and behaviour under faults (simulator only).
 */
import type { Simulator } from '@arangops/arangodb-sim';
import { loadMetricsFile, parseExposition } from '@arangops/exporter';
import { DEFAULT_PROFILE_DIR, declaredIndexes, loadProfile } from '@arangops/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_ARANGO_URL } from './harness/arango-target.js';
import {
  allCollectors,
  exporterFor,
  METRICS_FILE,
  promtoolCheck,
  sampleValue,
  startTarget,
  type Target,
  useTarget,
} from './harness/exporter-target.js';

const VERSIONS = REAL_ARANGO_URL ? ['ARANGO_URL'] : ['3.11.14', '3.12.10'];

describe.each(VERSIONS)('exporter against %s', (version) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(version);
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('serves a promtool-clean page with every collector on, merged server metrics included', async (ctx) => {
    const exporter = await exporterFor(target);
    const page = await exporter.collect();
    for (const collector of ['cluster', 'server_metrics', 'collections', 'aql', 'suite']) {
      expect(sampleValue(page, 'arangops_scrape_collector_success', { collector }), collector).toBe(1);
    }
    expect(sampleValue(page, 'arangops_up')).toBe(1);
    // Each family once, with the server metrics of every DB-Server and coordinator merged in.
    expect(page.match(/^# TYPE arangodb_scheduler_jobs_done_total /gm)).toHaveLength(1);
    const perServer = parseExposition(page).find((f) => f.name === 'arangodb_scheduler_jobs_done_total');
    const servers = new Set(perServer?.samples.map((s) => s.labels.server)).size;
    // Three DB-Servers and three coordinators in the simulator; a real deployment has its own count.
    if (REAL_ARANGO_URL) expect(servers).toBeGreaterThan(0);
    else expect(servers).toBe(6);
    expect(sampleValue(page, 'arangops_index_present', { index: 'idx_agents_status' })).toBe(1);
    // Every DB-Server's and coordinator's engine lines carry the short name (3.11 writes them bare).
    const disk = parseExposition(page).find((f) => f.name === 'rocksdb_free_disk_space');
    if (!REAL_ARANGO_URL) expect(disk?.samples.length).toBeGreaterThan(0);
    for (const sample of disk?.samples ?? [])
      expect(sample.labels.shortname, sample.labels.server).toMatch(/\w/);
    expect(sampleValue(page, 'arangops_last_run_success', { task: 'backup' })).toBe(1);
    expect(sampleValue(page, 'codevaldcortex_workflow_executions', { status: 'running' })).toEqual(
      expect.any(Number),
    );
    expect(sampleValue(page, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    const check = promtoolCheck(page, ctx);
    if (!check) return;
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });

  it('answers every profile query from an index (explain), except the documented full scan', async () => {
    const file = loadMetricsFile(METRICS_FILE);
    const { profile } = await loadProfile(DEFAULT_PROFILE_DIR);
    const declared = new Set(declaredIndexes(profile).map((i) => i.index));
    // No persistent index covers agent_communications.ttl (see metrics.yaml): a full scan is
    // allowed only to a query that runs at most every 5 minutes.
    const fullScanAllowed = new Set(
      file.metrics.filter((m) => (m.minIntervalSeconds ?? 0) >= 300).map((m) => m.name),
    );
    expect([...fullScanAllowed]).toEqual(['codevaldcortex_communications_expired_oldest_age_seconds']);
    const db = target.exporterConnection.database('codevaldcortex');
    for (const metric of file.metrics) {
      const bindVars: Record<string, unknown> = { ...metric.bindVars };
      for (const [name, spec] of Object.entries(metric.timeBindVars)) {
        bindVars[name] = spec.format === 'iso8601' ? new Date().toISOString() : Math.floor(Date.now() / 1000);
      }
      const explained = (await db.request({
        method: 'POST',
        pathname: '/_api/explain',
        body: { query: metric.query, bindVars },
      })) as { plan: { nodes: Array<{ type: string; indexes?: Array<{ name: string }> }> } };
      const nodes = explained.plan.nodes;
      const indexNames = nodes.flatMap((n) =>
        n.type === 'IndexNode' ? (n.indexes ?? []).map((i) => i.name) : [],
      );
      if (fullScanAllowed.has(metric.name)) continue;
      expect(
        nodes.map((n) => n.type),
        metric.name,
      ).not.toContain('EnumerateCollectionNode');
      expect(indexNames.length, metric.name).toBeGreaterThan(0);
      for (const name of indexNames) expect(declared, `${metric.name} uses ${name}`).toContain(name);
    }
  });
});

// Faults are injected into the simulator; a real server cannot be broken on purpose, so these
// suites exist only without ARANGO_URL (and say so when left out).
if (REAL_ARANGO_URL) {
  console.warn(
    `SKIP (real ArangoDB at ${REAL_ARANGO_URL}): exporter fault and single-server tests need the simulator`,
  );
} else {
  describe('exporter under faults (simulator)', () => {
    const current = useTarget('3.12.10');
    const sim = () => current().sim as Simulator;

    it('shows a FAILED member in its status gauge and stops the state set of the others from lying', async (ctx) => {
      const exporter = await exporterFor(current());
      await sim().faults.setMemberStatus('DBServer0002', 'FAILED');
      try {
        const page = await exporter.collect();
        const member = sim().state.members.find((m) => m.shortName === 'DBServer0002');
        const server = member?.id as string;
        expect(sampleValue(page, 'arangops_cluster_member_status', { server, status: 'FAILED' })).toBe(1);
        expect(sampleValue(page, 'arangops_cluster_member_status', { server, status: 'GOOD' })).toBe(0);
        // Its metrics cannot be proxied any more; the others still arrive.
        expect(sampleValue(page, 'arangops_server_metrics_up', { server })).toBe(0);
        expect(sampleValue(page, 'arangops_scrape_collector_success', { collector: 'server_metrics' })).toBe(
          1,
        );
        expect(promtoolCheck(page, ctx).status).toBe(0);
      } finally {
        await sim().faults.reset();
      }
    });

    it('counts the shards a FAILED DB-Server leaves out of sync and unreplicated, from the coordinator alone', async (ctx) => {
      // Without merged server metrics: the coordinator's own page counts the whole cluster.
      const exporter = await exporterFor(current(), allCollectors({ serverMetrics: { enabled: false } }));
      const healthy = await exporter.collect();
      expect(sampleValue(healthy, 'arangops_cluster_shards')).toBeGreaterThan(0);
      expect(sampleValue(healthy, 'arangops_cluster_shards_out_of_sync')).toBe(0);
      // The profile declares no replicationFactor: its collections keep one copy, never replicated.
      const oneCopy = sampleValue(healthy, 'arangops_cluster_shards_not_replicated') as number;
      expect(oneCopy).toBeGreaterThan(0);
      expect(sampleValue(healthy, 'arangops_cluster_shard_followers_out_of_sync')).toBe(0);
      // The profile's read-only exporter user is no admin: the supervision's mode is not shown to it.
      expect(sampleValue(healthy, 'arangops_cluster_supervision_maintenance')).toBeUndefined();
      await sim().faults.setMemberStatus('DBServer0002', 'FAILED');
      try {
        const page = await exporter.collect();
        // The system collections keep 2 copies: a failed follower leaves their shards with one.
        const outOfSync = sampleValue(page, 'arangops_cluster_shards_out_of_sync') as number;
        expect(outOfSync).toBeGreaterThan(0);
        expect(sampleValue(page, 'arangops_cluster_shards_not_replicated')).toBe(oneCopy + outOfSync);
        expect(sampleValue(page, 'arangops_cluster_shard_followers_out_of_sync')).toBe(outOfSync);
        expect(sampleValue(page, 'arangops_cluster_shards')).toBe(
          sampleValue(healthy, 'arangops_cluster_shards'),
        );
        expect(promtoolCheck(page, ctx).status).toBe(0);
      } finally {
        await sim().faults.reset();
      }
    });

    it('shows the supervision maintenance mode to an admin user', async () => {
      const root = current().root();
      const exporter = await exporterFor({ ...current(), exporterConnection: root });
      try {
        expect(sampleValue(await exporter.collect(), 'arangops_cluster_supervision_maintenance')).toBe(0);
        sim().faults.setSupervisionMaintenance(3600);
        expect(sampleValue(await exporter.collect(), 'arangops_cluster_supervision_maintenance')).toBe(1);
      } finally {
        await sim().faults.reset();
        root.close();
      }
    });

    it('fails a collector slowed past its timeout alone', async () => {
      const exporter = await exporterFor(current(), allCollectors({ cluster: { timeoutMs: 300 } }));
      // Were the 300 ms budget ignored, the health answer would arrive and the collector succeed.
      sim().faults.addLatency('/_admin/cluster/health', 1500);
      sim().state.clearRequestLog();
      try {
        const page = await exporter.collect();
        expect(sampleValue(page, 'arangops_scrape_collector_success', { collector: 'cluster' })).toBe(0);
        // server_metrics waits on the same (shared) health call, so it has to wait its own timeout out.
        for (const collector of ['collections', 'aql', 'suite']) {
          expect(sampleValue(page, 'arangops_scrape_collector_success', { collector }), collector).toBe(1);
        }
        expect(sampleValue(page, 'arangops_cluster_member_status')).toBeUndefined();
        // Let the abandoned health request finish, so it is not logged in the next test's window.
        for (
          let i = 0;
          i < 100 && !sim().state.requestLog.some((e) => e.path === '/_admin/cluster/health');
          i++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        await sim().faults.reset();
      }
    });

    it('shares one collection run between 50 concurrent scrapes: each upstream endpoint once', async () => {
      const exporter = await exporterFor(current());
      const server = await (
        await exporterFor(current(), { ...allCollectors(), host: '127.0.0.1', port: 0 })
      ).start();
      try {
        await exporter.collect(); // warm the connection, then count a clean run
        // The HTTP server warms up with a run of its own; wait until it is ready before counting.
        for (let i = 0; i < 100 && (await fetch(`${server.url}/readyz`)).status !== 200; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        sim().state.clearRequestLog();
        // A slow probe keeps the run in flight while all 50 requests arrive (on a loaded machine too).
        sim().faults.addLatency('/_api/version', 2000);
        const pages = await Promise.all(
          Array.from({ length: 50 }, () => fetch(`${server.url}/metrics`).then((r) => r.text())),
        );
        await sim().faults.reset();
        expect(new Set(pages).size).toBe(1);
        const counts = new Map<string, number>();
        for (const entry of sim().state.requestLog) {
          const key = `${entry.method} ${entry.database} ${entry.path}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        expect(counts.get('GET codevaldcortex /_admin/cluster/health')).toBe(1);
        expect(counts.get('GET codevaldcortex /_api/version')).toBe(1);
        // One per DB-Server and coordinator, and the coordinator's own page for the cluster's shard
        // counts; the path excludes the query, so the seven share a key.
        expect(counts.get('GET codevaldcortex /_admin/metrics/v2')).toBe(7);
        // The warm-up run listed every collection's indexes; with the figures' index counts
        // unchanged, the lists are not asked for again (see INDEX_LIST_TTL_MS).
        expect(counts.get('GET codevaldcortex /_api/index')).toBeUndefined();
        // Cursor requests repeat by nature (one per profile query); everything else is fetched once.
        const sharedPaths = ['/_admin/metrics/v2', '/_api/index', '/_api/cursor'];
        const repeated = [...counts].filter(([key, n]) => n > 1 && !sharedPaths.some((p) => key.endsWith(p)));
        expect(repeated).toEqual([]);
        // Metrics with a minimum refresh interval were served from the warm-up run's result.
        const uncached = loadMetricsFile(METRICS_FILE).metrics.filter((m) => !m.minIntervalSeconds);
        expect(counts.get('POST codevaldcortex /_api/cursor')).toBe(uncached.length);
      } finally {
        await server.close();
      }
    });

    it('serves arangops_up 0 quickly while ArangoDB refuses connections', async (ctx) => {
      // Budgets far beyond the test timeout: only the failed probe can end the collectors in time.
      const budget = { timeoutMs: 120_000 };
      const exporter = await exporterFor(
        current(),
        allCollectors({
          cluster: budget,
          serverMetrics: { enabled: true, ...budget },
          collections: budget,
          aql: budget,
        }),
      );
      await sim().faults.refuseConnections();
      try {
        const page = await exporter.collect();
        expect(sampleValue(page, 'arangops_up')).toBe(0);
        expect(sampleValue(page, 'arangops_scrape_collector_success', { collector: 'cluster' })).toBe(0);
        expect(sampleValue(page, 'arangops_scrape_collector_success', { collector: 'suite' })).toBe(1);
        expect(sampleValue(page, 'arangops_build_info')).toBe(1);
        expect(promtoolCheck(page, ctx).status).toBe(0);
      } finally {
        await sim().faults.acceptConnections();
      }
      expect(sampleValue(await exporter.collect(), 'arangops_up')).toBe(1);
    });
  });

  describe('exporter against a single server (simulator)', () => {
    it('degrades gracefully: role reported, no members, no error, server metrics of the one server', async (ctx) => {
      const target = await startTarget('3.11.14', 'single');
      try {
        const page = await (await exporterFor(target)).collect();
        expect(sampleValue(page, 'arangops_server_role_info', { role: 'SINGLE' })).toBe(1);
        // One label scheme: the member ID in a cluster, SINGLE for the one server (never its URL).
        expect(sampleValue(page, 'arangops_server_metrics_up', { server: 'SINGLE', role: 'SINGLE' })).toBe(1);
        expect(sampleValue(page, 'arangops_scrape_collector_success', { collector: 'cluster' })).toBe(1);
        expect(sampleValue(page, 'arangops_cluster_member_status')).toBeUndefined();
        expect(sampleValue(page, 'arangops_scrape_collector_success', { collector: 'server_metrics' })).toBe(
          1,
        );
        expect(promtoolCheck(page, ctx).status).toBe(0);
      } finally {
        await target.stop();
      }
    });
  });
}
