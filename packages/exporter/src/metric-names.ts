/**
 * Every metric the exporter defines, each named exactly once. Profile metrics (metrics.yaml)
 * and the merged ArangoDB server metrics keep their own names and are not listed here.
 */
export interface MetricDefinition {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labels: readonly string[];
}

const gauge = (name: string, help: string, labels: readonly string[] = []): MetricDefinition => ({
  name,
  help,
  type: 'gauge',
  labels,
});

export const SELF_METRICS = {
  up: gauge('arangops_up', 'Whether ArangoDB answered the version probe of this scrape (1) or not (0).'),
  collectorSuccess: gauge(
    'arangops_scrape_collector_success',
    'Whether the collector finished within its time budget without error in this scrape (1) or not (0).',
    ['collector'],
  ),
  collectorDuration: gauge(
    'arangops_scrape_collector_duration_seconds',
    'Time the collector took in this scrape, in seconds (its timeout when it timed out).',
    ['collector'],
  ),
  buildInfo: gauge('arangops_build_info', 'Always 1; the version label carries the exporter version.', [
    'version',
  ]),
  arangodbBuildInfo: gauge(
    'arangops_arangodb_build_info',
    'Always 1 while ArangoDB answers the version probe; labels carry its version and license (enterprise or community).',
    ['version', 'license'],
  ),
  droppedLabelSets: {
    name: 'arangops_exporter_dropped_label_sets_total',
    help: 'Label sets left out since start because a metric family reached the cardinality limit, or a merged server series repeated or disagreed in type.',
    type: 'counter',
    labels: ['metric'],
  },
} as const satisfies Record<string, MetricDefinition>;

export const CLUSTER_METRICS = {
  role: gauge(
    'arangops_server_role_info',
    'Always 1; the role label says what the configured endpoint is (SINGLE or COORDINATOR). Single servers have no cluster members.',
    ['role'],
  ),
  memberInfo: gauge(
    'arangops_cluster_member_info',
    'Always 1 per cluster member in /_admin/cluster/health; labels carry its short name, endpoint, version and engine.',
    ['server', 'role', 'shortname', 'endpoint', 'version', 'engine'],
  ),
  memberStatus: gauge(
    'arangops_cluster_member_status',
    'Health status of each cluster member as a state set: 1 for its current status (GOOD, BAD or FAILED), 0 for the others.',
    ['server', 'role', 'status'],
  ),
  memberSyncStatus: gauge(
    'arangops_cluster_member_sync_status',
    'Last sync status each DB-Server and coordinator reported, as a state set (SERVING, STARTUP, STOPPING, STOPPED, SHUTDOWN, UNKNOWN, UNDEFINED).',
    ['server', 'role', 'sync_status'],
  ),
  memberCanBeDeleted: gauge(
    'arangops_cluster_member_can_be_deleted',
    'Whether the cluster reports the member can safely be removed (1) or not (0).',
    ['server', 'role'],
  ),
  memberLastAck: gauge(
    'arangops_cluster_member_last_ack_timestamp_seconds',
    'When the member last acknowledged a heartbeat, as Unix time in seconds (agents: when the leader last heard from it, from the age the leader reports).',
    ['server', 'role'],
  ),
  agentLeader: gauge(
    'arangops_cluster_agent_leader',
    'Whether the agent leads the agency (1) or follows (0).',
    ['server'],
  ),
  members: gauge('arangops_cluster_members', 'Number of cluster members per role.', ['role']),
  licenseExpiry: gauge(
    'arangops_arangodb_license_expiry_timestamp_seconds',
    'When the ArangoDB Enterprise license expires, as Unix time in seconds, where /_admin/license reports it.',
  ),
  shards: gauge(
    'arangops_cluster_shards',
    'Shards of all collections in the cluster (each counted once, its followers not), as the coordinator reports it (ArangoDB 3.12.8 and later).',
  ),
  shardsOutOfSync: gauge(
    'arangops_cluster_shards_out_of_sync',
    'Shards of the cluster with at least one follower not in sync with its leader, as the coordinator reports it (ArangoDB 3.12.8 and later).',
  ),
  shardsNotReplicated: gauge(
    'arangops_cluster_shards_not_replicated',
    'Shards of the cluster without a follower in sync, so their data is on one DB-Server only (every shard with replicationFactor 1 included), as the coordinator reports it (ArangoDB 3.12.8 and later).',
  ),
  shardFollowersOutOfSync: gauge(
    'arangops_cluster_shard_followers_out_of_sync',
    'Follower shards (copies) of the cluster that are not in sync with their leader, as the coordinator reports it (ArangoDB 3.12.8 and later).',
  ),
  supervisionMaintenance: gauge(
    'arangops_cluster_supervision_maintenance',
    'Whether the agency supervision is in maintenance mode (1: no automatic failover) or not (0), where /_admin/cluster/maintenance answers (admin users only).',
  ),
  versions: gauge(
    'arangops_cluster_versions',
    'Number of distinct ArangoDB versions among the cluster members; above 1 means version skew (e.g. an unfinished upgrade).',
  ),
} as const satisfies Record<string, MetricDefinition>;

export const SERVER_METRICS = {
  serverUp: gauge(
    'arangops_server_metrics_up',
    'Whether the metrics of this server could be fetched and parsed in this scrape (1) or not (0).',
    ['server', 'role'],
  ),
} as const satisfies Record<string, MetricDefinition>;

export const COLLECTION_METRICS = {
  documents: gauge('arangops_collection_documents', 'Number of documents in the collection.', [
    'database',
    'collection',
  ]),
  documentsSize: gauge(
    'arangops_collection_documents_size_bytes',
    'Size of the collection documents on disk, in bytes (figures.documentsSize).',
    ['database', 'collection'],
  ),
  indexes: gauge(
    'arangops_collection_indexes',
    'Number of indexes on the collection, the primary (and edge) index included.',
    ['database', 'collection'],
  ),
  indexesSize: gauge(
    'arangops_collection_indexes_size_bytes',
    'Size of all indexes of the collection, in bytes (figures.indexes.size).',
    ['database', 'collection'],
  ),
  indexPresent: gauge(
    'arangops_index_present',
    'Whether an index the profile declares exists (1) or is missing (0): a missing index turns lookups into full scans.',
    ['database', 'collection', 'index'],
  ),
} as const satisfies Record<string, MetricDefinition>;

export const AQL_METRICS = {
  querySuccess: gauge(
    'arangops_aql_metric_success',
    'Whether the AQL query of the profile metric succeeded in this scrape or its cached result is still fresh (1) or not (0).',
    ['metric'],
  ),
  queryDuration: gauge(
    'arangops_aql_metric_duration_seconds',
    'Time the last run of the AQL query of the profile metric took, in seconds.',
    ['metric'],
  ),
  queryAge: gauge(
    'arangops_aql_metric_age_seconds',
    'Age of the profile metric value, in seconds: above 0 when it was served from the minimum refresh interval cache.',
    ['metric'],
  ),
} as const satisfies Record<string, MetricDefinition>;

export const SUITE_METRICS = {
  lastRunSuccess: gauge(
    'arangops_last_run_success',
    'Whether the last recorded run of the task succeeded (1) or failed (0).',
    ['task'],
  ),
  lastRunTimestamp: gauge(
    'arangops_last_run_timestamp_seconds',
    'When the last recorded run of the task finished, as Unix time in seconds.',
    ['task'],
  ),
  lastRunDuration: gauge(
    'arangops_last_run_duration_seconds',
    'How long the last recorded run of the task took, in seconds.',
    ['task'],
  ),
  lastSuccessTimestamp: gauge(
    'arangops_last_success_timestamp_seconds',
    'When the task last finished successfully, as Unix time in seconds; kept across failed runs.',
    ['task'],
  ),
  lastRunFigures: gauge(
    'arangops_last_run_figures',
    'Figures the last run of the task recorded in its summary (e.g. drift items, verified collections), by name.',
    ['task', 'figure'],
  ),
} as const satisfies Record<string, MetricDefinition>;

/** All definitions, for documentation and the README check. */
export const ALL_METRICS: readonly MetricDefinition[] = [
  SELF_METRICS,
  CLUSTER_METRICS,
  SERVER_METRICS,
  COLLECTION_METRICS,
  AQL_METRICS,
  SUITE_METRICS,
].flatMap((group) => Object.values(group));
