import { type ArangoConnection, createLocalRunRecordStore, createLogger } from '@arangops/core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/harness/temp-dir.js';
import { CollectionRunner } from '../collection-run.js';
import type { Collector } from '../collector.js';
import { writeExposition } from '../exposition/page-writer.js';
import { parseExposition } from '../exposition/parse.js';
import type { MetricFamily } from '../exposition/types.js';
import { SelfMetrics } from '../self-metrics.js';
import { clusterCollector } from './cluster.js';
import { collectionsCollector, INDEX_LIST_TTL_MS } from './collections.js';
import { serverMetricsCollector } from './server-metrics.js';
import { suiteCollector } from './suite.js';

type Handler = (search: Record<string, string>) => unknown;

/**
 * A connection whose database answers `request()` (and `requestBytes()`, with the answer as
 * bytes) from a route table, counting calls per route.
 */
function fakeConnection(routes: Record<string, Handler>, calls: string[] = []): ArangoConnection {
  const request = async (options: { pathname: string; search?: Record<string, string> }) => {
    const search = options.search ?? {};
    calls.push(`${options.pathname}${search.serverId ? `?serverId=${search.serverId}` : ''}`);
    const handler = routes[options.pathname];
    if (!handler) throw new Error(`no route ${options.pathname}`);
    return handler(search);
  };
  const db = { name: 'codevaldcortex', request };
  return {
    database: () => db,
    requestBytes: async (options: { pathname: string; search?: Record<string, string> }) =>
      Buffer.from(String(await request(options))),
    withRetry: (_l: string, fn: () => Promise<unknown>) => fn(),
    endpoints: ['http://127.0.0.1:8529'],
    close() {},
  } as unknown as ArangoConnection;
}

const NOW = Date.parse('2026-01-01T00:00:30Z');
const HEALTH = {
  ClusterId: 'c',
  Health: {
    'AGNT-1': {
      Role: 'Agent',
      Endpoint: 'tcp://agent1:8531',
      Status: 'GOOD',
      Version: '3.12.10',
      Leader: 'AGNT-1',
      Leading: true,
      LastAckedTime: 0.2,
      CanBeDeleted: false,
    },
    'AGNT-2': {
      Role: 'Agent',
      Endpoint: 'tcp://agent2:8531',
      Status: 'BAD',
      Version: '3.12.10',
      Leader: 'AGNT-1',
      LastAckedTime: 4,
      CanBeDeleted: false,
    },
    'PRMR-1': {
      Role: 'DBServer',
      ShortName: 'DBServer0001',
      Endpoint: 'tcp://db1:8530',
      Status: 'FAILED',
      SyncStatus: 'SERVING',
      Version: '3.12.10',
      Engine: 'rocksdb',
      LastAckedTime: '2026-01-01T00:00:00Z',
      CanBeDeleted: true,
    },
    'CRDN-1': {
      Role: 'Coordinator',
      ShortName: 'Coordinator0001',
      Endpoint: 'tcp://c1:8529',
      Status: 'GOOD',
      SyncStatus: 'SERVING',
      Version: '3.11.14',
      Engine: 'rocksdb',
      LastAckedTime: '2026-01-01T00:00:29Z',
      CanBeDeleted: false,
    },
  },
};

const clusterRoutes: Record<string, Handler> = {
  '/_api/version': () => ({ version: '3.12.10' }),
  '/_admin/server/role': () => ({ role: 'COORDINATOR' }),
  '/_admin/cluster/health': () => HEALTH,
  '/_admin/license': () => ({ upgrading: false, features: { expires: 1748034885 }, status: 'expiring' }),
};

async function collect(collectors: Collector[], connection: ArangoConnection) {
  const runner = new CollectionRunner({
    collectors,
    connection,
    logger: createLogger({ level: 'silent' }),
    self: new SelfMetrics(),
    version: '0.1.0',
    cardinalityLimit: 1000,
    probeTimeoutMs: 500,
  });
  const families = parseExposition(writeExposition(await runner.run(), 'text'));
  const byName = new Map<string, MetricFamily>(families.map((f) => [f.name, f]));
  const value = (name: string, labels: Record<string, string> = {}) =>
    byName.get(name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  return { byName, value };
}

describe('cluster collector', () => {
  it('turns /_admin/cluster/health into member state sets, ages, leader and version skew', async () => {
    const { value } = await collect(
      [clusterCollector({ connection: fakeConnection(clusterRoutes), timeoutMs: 1000, now: () => NOW })],
      fakeConnection(clusterRoutes),
    );
    expect(value('arangops_cluster_member_status', { server: 'PRMR-1', status: 'FAILED' })).toBe(1);
    expect(value('arangops_cluster_member_status', { server: 'PRMR-1', status: 'GOOD' })).toBe(0);
    expect(value('arangops_cluster_member_status', { server: 'AGNT-2', role: 'AGENT', status: 'BAD' })).toBe(
      1,
    );
    expect(value('arangops_cluster_member_sync_status', { server: 'CRDN-1', sync_status: 'SERVING' })).toBe(
      1,
    );
    expect(value('arangops_cluster_member_sync_status', { server: 'AGNT-1' })).toBeUndefined();
    expect(value('arangops_cluster_member_last_ack_timestamp_seconds', { server: 'PRMR-1' })).toBe(
      NOW / 1000 - 30,
    );
    expect(value('arangops_cluster_member_last_ack_timestamp_seconds', { server: 'AGNT-2' })).toBe(
      NOW / 1000 - 4,
    );
    expect(value('arangops_cluster_member_can_be_deleted', { server: 'PRMR-1' })).toBe(1);
    expect(value('arangops_cluster_agent_leader', { server: 'AGNT-1' })).toBe(1);
    expect(value('arangops_cluster_agent_leader', { server: 'AGNT-2' })).toBe(0);
    expect(value('arangops_cluster_members', { role: 'AGENT' })).toBe(2);
    expect(value('arangops_cluster_versions')).toBe(2);
    expect(value('arangops_server_role_info', { role: 'COORDINATOR' })).toBe(1);
    expect(value('arangops_arangodb_license_expiry_timestamp_seconds')).toBe(1748034885);
    expect(
      value('arangops_cluster_member_info', {
        server: 'PRMR-1',
        shortname: 'DBServer0001',
        engine: 'rocksdb',
      }),
    ).toBe(1);
  });

  it("reports the coordinator's cluster-wide shard counts and the supervision mode", async () => {
    // As a 3.12.10 coordinator writes them, amid the rest of its page.
    const page = [
      '# HELP arangodb_metadata_number_follower_shards Number of follower shards.',
      '# TYPE arangodb_metadata_number_follower_shards gauge',
      'arangodb_metadata_number_follower_shards{role="COORDINATOR",shortname="Coordinator0001"} 40',
      '# HELP arangodb_metadata_number_not_replicated_shards Number of not replicated shards.',
      '# TYPE arangodb_metadata_number_not_replicated_shards gauge',
      'arangodb_metadata_number_not_replicated_shards{role="COORDINATOR",shortname="Coordinator0001"} 3',
      '# HELP arangodb_metadata_number_of_shards Number of leader shards.',
      '# TYPE arangodb_metadata_number_of_shards gauge',
      'arangodb_metadata_number_of_shards{role="COORDINATOR",shortname="Coordinator0001"} 42',
      '# HELP arangodb_metadata_number_out_of_sync_shards Number of out of sync shards.',
      '# TYPE arangodb_metadata_number_out_of_sync_shards gauge',
      'arangodb_metadata_number_out_of_sync_shards{role="COORDINATOR",shortname="Coordinator0001"} 5',
      '# HELP arangodb_metadata_shard_followers_out_of_sync_number Number of follower shards across the cluster that are out of sync with their leader.',
      '# TYPE arangodb_metadata_shard_followers_out_of_sync_number gauge',
      'arangodb_metadata_shard_followers_out_of_sync_number{role="COORDINATOR",shortname="Coordinator0001"} 6',
      "# HELP arangodb_scheduler_queue_length Server's internal queue length",
      '# TYPE arangodb_scheduler_queue_length gauge',
      'arangodb_scheduler_queue_length{role="COORDINATOR",shortname="Coordinator0001"} 0',
      '',
    ].join('\n');
    const connection = fakeConnection({
      ...clusterRoutes,
      '/_admin/metrics/v2': () => page,
      '/_admin/cluster/maintenance': () => ({ error: false, result: 'Maintenance' }),
    });
    const { value } = await collect(
      [clusterCollector({ connection, timeoutMs: 1000, now: () => NOW })],
      connection,
    );
    expect(value('arangops_cluster_shards')).toBe(42);
    expect(value('arangops_cluster_shards_out_of_sync')).toBe(5);
    expect(value('arangops_cluster_shards_not_replicated')).toBe(3);
    expect(value('arangops_cluster_shard_followers_out_of_sync')).toBe(6);
    expect(value('arangops_cluster_supervision_maintenance')).toBe(1);
  });

  it('leaves the shard counts and the mode out where the coordinator does not expose them', async () => {
    // 3.11 has no arangodb_metadata_* families; a user without rw on _system gets 403 for the mode.
    const connection = fakeConnection({
      ...clusterRoutes,
      '/_admin/metrics/v2': () =>
        '# HELP arangodb_x x\n# TYPE arangodb_x gauge\narangodb_x{role="COORDINATOR"} 1\n',
      '/_admin/cluster/maintenance': () => {
        throw Object.assign(new Error('forbidden'), { code: 403, errorNum: 403 });
      },
    });
    const { value, byName } = await collect(
      [clusterCollector({ connection, timeoutMs: 1000, now: () => NOW })],
      connection,
    );
    expect(value('arangops_scrape_collector_success', { collector: 'cluster' })).toBe(1);
    expect(value('arangops_cluster_members', { role: 'AGENT' })).toBe(2);
    for (const name of ['arangops_cluster_shards_out_of_sync', 'arangops_cluster_supervision_maintenance']) {
      expect(byName.get(name)).toBeUndefined();
    }
  });

  it('degrades to the role alone on a single server (its refused health call is ignored)', async () => {
    const calls: string[] = [];
    const single = fakeConnection(
      { '/_api/version': () => ({ version: '3.11.14' }), '/_admin/server/role': () => ({ role: 'SINGLE' }) },
      calls,
    );
    const { value, byName } = await collect(
      [clusterCollector({ connection: single, timeoutMs: 1000, now: () => NOW })],
      single,
    );
    expect(value('arangops_scrape_collector_success', { collector: 'cluster' })).toBe(1);
    expect(value('arangops_server_role_info', { role: 'SINGLE' })).toBe(1);
    expect(byName.get('arangops_cluster_member_status')?.samples).toEqual([]);
    // Shard sync and the supervision are a cluster's: a single server is not asked.
    expect(calls).not.toContain('/_admin/metrics/v2');
    expect(calls).not.toContain('/_admin/cluster/maintenance');
  });
});

describe('server_metrics collector', () => {
  const body = (help: string) =>
    `# HELP arangodb_x ${help}\n# TYPE arangodb_x gauge\narangodb_x{role="PRIMARY"} 1\n# HELP rocksdb_free_disk_space rocksdb_free_disk_space\n# TYPE rocksdb_free_disk_space gauge\nrocksdb_free_disk_space 5\n`;

  it('fetches members via serverId once each, agents directly, shares the health call, and merges', async () => {
    const calls: string[] = [];
    const connection = fakeConnection(
      {
        ...clusterRoutes,
        '/_admin/metrics/v2': (search) => {
          if (search.serverId === 'CRDN-1') throw new Error('proxy failed');
          return body(`from ${search.serverId}`);
        },
      },
      calls,
    );
    const agentCalls: string[] = [];
    const agent = fakeConnection({ '/_admin/metrics/v2': () => body('agent') }, agentCalls);
    const collectors = [
      clusterCollector({ connection, timeoutMs: 1000, now: () => NOW }),
      serverMetricsCollector({
        connection,
        agents: [{ endpoint: 'http://agent1:8531', connection: agent }],
        timeoutMs: 1000,
        cardinalityLimit: 100,
        logger: createLogger({ level: 'silent' }),
      }),
    ];
    const { value, byName } = await collect(collectors, connection);
    expect(calls.filter((c) => c === '/_admin/cluster/health')).toHaveLength(1);
    // Without serverId: the cluster collector's one request for the coordinator's shard counts.
    expect(calls.filter((c) => c.startsWith('/_admin/metrics/v2')).sort()).toEqual([
      '/_admin/metrics/v2',
      '/_admin/metrics/v2?serverId=CRDN-1',
      '/_admin/metrics/v2?serverId=PRMR-1',
    ]);
    expect(agentCalls).toEqual(['/_admin/metrics/v2']);
    expect(value('arangops_server_metrics_up', { server: 'CRDN-1', role: 'COORDINATOR' })).toBe(0);
    expect(value('arangops_server_metrics_up', { server: 'AGNT-1', role: 'AGENT' })).toBe(1);
    // 3.11 writes engine lines without labels: the short name comes from the health call.
    expect(byName.get('rocksdb_free_disk_space')?.samples.map((s) => s.labels)).toEqual([
      { server: 'PRMR-1', shortname: 'DBServer0001', role: 'PRIMARY' },
      { server: 'AGNT-1', role: 'AGENT' },
    ]);
    // The server's own role label wins over the injected one.
    expect(byName.get('arangodb_x')?.samples[1]?.labels).toEqual({ server: 'AGNT-1', role: 'PRIMARY' });
  });
});

describe('server_metrics collector across runs', () => {
  it("asks the last run's members for their bodies with the health call, and follows the cluster as it changes", async () => {
    let run = 1;
    let members = ['PRMR-1', 'CRDN-1'];
    const health = () => ({
      Health: Object.fromEntries(
        members.map((id) => [
          id,
          { Role: id.startsWith('CRDN') ? 'Coordinator' : 'DBServer', Status: 'GOOD' },
        ]),
      ),
    });
    const calls: string[] = [];
    const connection = fakeConnection(
      {
        ...clusterRoutes,
        '/_admin/cluster/health': health,
        '/_admin/metrics/v2': () => `# TYPE arangodb_x gauge\narangodb_x{role="PRIMARY"} ${run * 1.5}\n`,
      },
      calls,
    );
    const collector = serverMetricsCollector({
      connection,
      agents: [],
      timeoutMs: 1000,
      cardinalityLimit: 100,
      logger: createLogger({ level: 'silent' }),
    });
    const values = async () => {
      const { byName } = await collect([collector], connection);
      return byName.get('arangodb_x')?.samples.map((s) => [s.labels.server, s.value]);
    };
    expect(await values()).toEqual([
      ['PRMR-1', 1.5],
      ['CRDN-1', 1.5],
    ]);
    expect(calls.indexOf('/_admin/cluster/health')).toBeLessThan(
      calls.indexOf('/_admin/metrics/v2?serverId=PRMR-1'),
    );
    // A coordinator answers the health call: no role call is needed.
    expect(calls).not.toContain('/_admin/server/role');

    calls.length = 0;
    run = 2;
    members = ['PRMR-2', 'CRDN-1'];
    expect(await values()).toEqual([
      ['PRMR-2', 3],
      ['CRDN-1', 3],
    ]);
    // The last members were asked first; PRMR-1's answer is not on the page, PRMR-2 was asked once the health named it.
    const asked = calls.filter((c) => c !== '/_api/version');
    expect(asked.slice(0, 2).sort()).toEqual([
      '/_admin/metrics/v2?serverId=CRDN-1',
      '/_admin/metrics/v2?serverId=PRMR-1',
    ]);
    expect(asked.slice(2)).toEqual(['/_admin/cluster/health', '/_admin/metrics/v2?serverId=PRMR-2']);
  });
});

describe('suite collector', () => {
  it('exposes the last run of each job and the last success across a failure and a restart', async () => {
    const store = createLocalRunRecordStore(tempDir('runs'));
    const record = (success: boolean, finishedAt: string) => ({
      job: 'backup' as const,
      success,
      startedAt: '2026-01-01T02:00:00.000Z',
      finishedAt,
      durationSeconds: 42,
      summary: { collections: 3 },
    });
    await store.write(record(true, '2026-01-01T02:00:42.000Z'));
    const down = fakeConnection({});
    const collector = suiteCollector({ runRecords: store, timeoutMs: 1000 });
    const first = await collect([collector], down);
    expect(first.value('arangops_up')).toBe(0);
    expect(first.value('arangops_last_run_success', { task: 'backup' })).toBe(1);
    expect(first.value('arangops_last_run_duration_seconds', { task: 'backup' })).toBe(42);
    expect(first.value('arangops_last_run_figures', { task: 'backup', figure: 'collections' })).toBe(3);
    expect(first.value('arangops_last_run_success', { task: 'verify' })).toBeUndefined();

    await store.write(record(false, '2026-01-02T02:00:42.000Z'));
    const second = await collect([collector], down);
    expect(second.value('arangops_last_run_success', { task: 'backup' })).toBe(0);
    expect(second.value('arangops_last_run_timestamp_seconds', { task: 'backup' })).toBe(
      Date.parse('2026-01-02T02:00:42Z') / 1000,
    );
    expect(second.value('arangops_last_success_timestamp_seconds', { task: 'backup' })).toBe(
      Date.parse('2026-01-01T02:00:42Z') / 1000,
    );
    // A restarted exporter still knows it: the store keeps it.
    const restarted = await collect([suiteCollector({ runRecords: store, timeoutMs: 1000 })], down);
    expect(restarted.value('arangops_last_success_timestamp_seconds', { task: 'backup' })).toBe(
      Date.parse('2026-01-01T02:00:42Z') / 1000,
    );
  });
});

describe('collections collector', () => {
  /** A database whose collections answer figures and index lists from `state`, counting index list calls. */
  function collectionsConnection(
    state: Map<string, { count: number; indexes: string[] }>,
    indexCalls: string[],
  ) {
    const db = {
      name: 'codevaldcortex',
      request: async () => ({ version: '3.12.10' }),
      collections: async () =>
        [...state.keys()].map((name) => ({
          name,
          figures: async () => {
            const { count, indexes } = state.get(name) as { count: number; indexes: string[] };
            // In a cluster, figures sum over shards: 3 shards count every index three times.
            return {
              count,
              figures: { documentsSize: count * 100, indexes: { count: 3 * indexes.length, size: 42 } },
            };
          },
          indexes: async () => {
            indexCalls.push(name);
            return (state.get(name)?.indexes ?? []).map((index) => ({ name: index }));
          },
        })),
    };
    return {
      database: () => db,
      withRetry: (_l: string, fn: () => Promise<unknown>) => fn(),
      endpoints: ['http://127.0.0.1:8529'],
      close() {},
    } as unknown as ArangoConnection;
  }

  it('asks for index lists again only when the figures count other indexes, or after a while', async () => {
    const state = new Map([
      ['agents', { count: 5, indexes: ['primary', 'idx_agents_status'] }],
      ['edges', { count: 2, indexes: ['primary', 'edge'] }],
    ]);
    const indexCalls: string[] = [];
    const connection = collectionsConnection(state, indexCalls);
    let now = NOW;
    const collector = collectionsCollector({
      connection,
      databases: [],
      declaredIndexes: [
        { collection: 'agents', index: 'idx_agents_status' },
        { collection: 'agents', index: 'idx_agents_type' },
      ],
      timeoutMs: 1000,
      now: () => now,
    });
    const scrape = () => collect([collector], connection);
    let page = await scrape();
    expect(indexCalls.sort()).toEqual(['agents', 'edges']);
    expect(page.value('arangops_collection_indexes', { collection: 'agents' })).toBe(2);
    expect(page.value('arangops_index_present', { index: 'idx_agents_status' })).toBe(1);
    expect(page.value('arangops_index_present', { index: 'idx_agents_type' })).toBe(0);

    // Values change every scrape; the index lists are not asked for again.
    state.set('agents', { count: 6, indexes: ['primary', 'idx_agents_status'] });
    page = await scrape();
    expect(indexCalls).toHaveLength(2);
    expect(page.value('arangops_collection_documents', { collection: 'agents' })).toBe(6);
    expect(page.value('arangops_collection_documents_size_bytes', { collection: 'agents' })).toBe(600);
    expect(page.value('arangops_collection_indexes_size_bytes', { collection: 'agents' })).toBe(42);

    // An index created (or dropped) changes the figures' count: its list is read at once.
    state.set('agents', { count: 6, indexes: ['primary', 'idx_agents_status', 'idx_agents_type'] });
    page = await scrape();
    expect(indexCalls.slice(2)).toEqual(['agents']);
    expect(page.value('arangops_collection_indexes', { collection: 'agents' })).toBe(3);
    expect(page.value('arangops_index_present', { index: 'idx_agents_type' })).toBe(1);

    // One replaced by another keeps the count: seen once the list is old enough.
    state.set('agents', { count: 6, indexes: ['primary', 'idx_agents_status', 'idx_agents_other'] });
    page = await scrape();
    expect(page.value('arangops_index_present', { index: 'idx_agents_type' })).toBe(1);
    now += INDEX_LIST_TTL_MS;
    page = await scrape();
    expect(page.value('arangops_index_present', { index: 'idx_agents_type' })).toBe(0);

    // A collection that is gone leaves no series.
    state.delete('agents');
    page = await scrape();
    expect(page.value('arangops_collection_indexes', { collection: 'agents' })).toBeUndefined();
    expect(page.value('arangops_index_present', { index: 'idx_agents_status' })).toBe(0);
    expect(page.value('arangops_collection_indexes', { collection: 'edges' })).toBe(2);
  });
});
