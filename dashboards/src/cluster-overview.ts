/**
 * Cluster overview: members and their health, replication, RocksDB, disk, memory, request and
 * query latency. ArangoDB's own metrics (arangodb_*, rocksdb_*) come from the kube-arangodb
 * sidecars or the exporter's merged server metrics; 3.11 rocksdb_* series carry no ArangoDB
 * labels, so their legends use the target's instance.
 */
import { type DashboardDefinition, dashboard, row, sel, stat, timeseries } from './kit.js';

const rate = (metric: string, ...extra: string[]) => `rate(${sel(metric, ...extra)}[$__rate_interval])`;

export const clusterOverview: DashboardDefinition = {
  file: 'cluster-overview',
  build: () =>
    dashboard(
      'ArangoDB / Cluster overview',
      'arangops-cluster-overview',
      'Members, replication, RocksDB, disk, memory and latency of the ArangoDB cluster.',
      'arangodb_process_statistics_resident_set_size',
    )
      .withRow(row('Members'))
      .withPanel(
        stat({
          title: 'Members not GOOD',
          description: 'Cluster members whose health status (from /_admin/cluster/health) is BAD or FAILED.',
          unit: 'none',
          queries: [
            [
              `count(max by (server) (${sel('arangops_cluster_member_status', 'status!="GOOD"')}) == 1) or vector(0)`,
              'not GOOD',
            ],
          ],
        }),
      )
      .withPanel(
        stat({
          title: 'ArangoDB versions',
          description: 'Distinct ArangoDB versions among the members; above 1 means an unfinished upgrade.',
          unit: 'none',
          queries: [[`max(${sel('arangops_cluster_versions')})`, 'versions']],
        }),
      )
      .withPanel(
        stat({
          title: 'Members per role',
          description: 'Number of agents, coordinators and DB-Servers the cluster reports.',
          unit: 'none',
          span: 16,
          queries: [[`max by (role) (${sel('arangops_cluster_members')})`, '{{role}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Member health',
          description: '1 while the member is GOOD, 0 while it is BAD or FAILED, per member.',
          unit: 'none',
          min: 0,
          max: 1,
          span: 24,
          queries: [
            [
              `max by (role, server) (${sel('arangops_cluster_member_status', 'status="GOOD"')})`,
              '{{role}} {{server}}',
            ],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Heartbeat age',
          description:
            'Time since each member last acknowledged a heartbeat; supervision declares a member FAILED after about 15 s.',
          unit: 's',
          span: 24,
          queries: [
            [
              `max by (role, server) (time() - ${sel('arangops_cluster_member_last_ack_timestamp_seconds')})`,
              '{{role}} {{server}}',
            ],
          ],
        }),
      )
      .withRow(row('Replication'))
      .withPanel(
        timeseries({
          title: 'Shards out of sync',
          description:
            'Shards with a follower that is not in sync, per DB-Server (0 on other roles in 3.11).',
          unit: 'none',
          queries: [[`sum by (shortname) (${sel('arangodb_shards_out_of_sync')})`, '{{shortname}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Shards not replicated',
          description: 'Shards without any in-sync follower: one server failure away from data loss.',
          unit: 'none',
          queries: [[`sum by (shortname) (${sel('arangodb_shards_not_replicated')})`, '{{shortname}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Heartbeat failures',
          description: 'Failed heartbeat transmissions to the agency per second; they lead to failovers.',
          unit: 'ops',
          queries: [[`sum by (shortname) (${rate('arangodb_heartbeat_failures_total')})`, '{{shortname}}']],
        }),
      )
      .withRow(row('RocksDB'))
      .withPanel(
        timeseries({
          title: 'Write stalls and stops',
          description:
            'RocksDB write stalls (slowdowns) and write stops (blocked writes) per second, per server.',
          unit: 'ops',
          queries: [
            [`sum by (instance) (${rate('arangodb_rocksdb_write_stalls_total')})`, 'stalls {{instance}}'],
            [`sum by (instance) (${rate('arangodb_rocksdb_write_stops_total')})`, 'stops {{instance}}'],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Pending compaction',
          description:
            'Estimated bytes RocksDB still has to compact; writes slow down and stop at the configured triggers.',
          unit: 'bytes',
          queries: [[sel('rocksdb_estimate_pending_compaction_bytes'), '{{instance}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Level-0 files',
          description: 'SST files at level 0; RocksDB slows writes at 16 and stops them at 256 by default.',
          unit: 'none',
          queries: [[sel('rocksdb_num_files_at_level0'), '{{instance}}']],
        }),
      )
      .withRow(row('Disk and memory'))
      .withPanel(
        timeseries({
          title: 'Free disk',
          description:
            'Free share of each server data volume; the alerts warn below 15 % and page below 5 %.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          queries: [
            [`${sel('rocksdb_free_disk_space')} / ${sel('rocksdb_total_disk_space')}`, '{{instance}}'],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Resident memory',
          description: 'Resident set size of each ArangoDB process.',
          unit: 'bytes',
          queries: [[sel('arangodb_process_statistics_resident_set_size'), '{{instance}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Memory share',
          description:
            'Resident set size as a share of the memory ArangoDB detected; keep a safety margin below 1.',
          unit: 'percentunit',
          min: 0,
          queries: [[sel('arangodb_process_statistics_resident_set_size_percent'), '{{instance}}']],
        }),
      )
      .withRow(row('Requests and queries'))
      .withPanel(
        timeseries({
          title: 'Request latency (p95)',
          description:
            '95th percentile of the time from receiving a request to sending the answer, per server.',
          unit: 's',
          queries: [
            [
              `histogram_quantile(0.95, sum by (le, instance) (${rate('arangodb_client_connection_statistics_request_time_bucket')}))`,
              '{{instance}}',
            ],
          ],
        }),
      )
      .withPanel(
        timeseries({
          title: 'AQL query latency',
          description: '50th, 95th and 99th percentile of AQL query run time across the coordinators.',
          unit: 's',
          queries: (['0.5', '0.95', '0.99'] as const).map(
            (q) =>
              [
                `histogram_quantile(${q}, sum by (le) (${rate('arangodb_aql_query_time_bucket')}))`,
                `p${q.slice(2)}`,
              ] as const,
          ),
        }),
      )
      .withPanel(
        timeseries({
          title: 'AQL queries and slow queries',
          description:
            'AQL queries per second, and queries slower than --query.slow-threshold (10 s by default).',
          unit: 'ops',
          queries: [
            [`sum(${rate('arangodb_aql_all_query_total')})`, 'all'],
            [`sum(${rate('arangodb_aql_slow_query_time_count')})`, 'slow'],
          ],
        }),
      ),
};
