import { metricsRole } from '../cluster/topology.js';
import type { ClusterMember } from '../types.js';
import type { VersionInfo } from '../version.js';
import { catalogue, type MetricDef, type ObservedFamily } from './catalogue.js';

type Role = 'single' | 'agent' | 'dbserver' | 'coordinator';

/** Shards of one DB-Server, from the simulated placement and member health. */
export interface ShardCounts {
  number: number;
  leader: number;
  /** Led shards with a follower on a DB-Server that is not GOOD. */
  outOfSync: number;
  /** Led shards without a follower on a GOOD DB-Server (replicationFactor 1 included). */
  notReplicated: number;
}

/** Shards of the whole cluster, as a coordinator reports them (3.12.8+). */
export interface ClusterShardCounts {
  leader: number;
  follower: number;
  /** Shards with a follower that is not in sync. */
  outOfSync: number;
  /** Shards without a follower in sync (replicationFactor 1 included). */
  notReplicated: number;
  /** Follower shards that are not in sync. */
  followersOutOfSync: number;
}

/** Live inputs that make a few families reflect the simulated state. */
export interface MetricsInputs {
  nowMs: number;
  startedMs: number;
  shards: ShardCounts;
  clusterShards: ClusterShardCounts;
  documents: number;
  /** Scrapes so far: keeps counters moving even under a frozen test clock. */
  scrapes: number;
}

const DEFAULT_BUCKETS = ['0.001000', '0.010000', '0.100000', '1.000000', '10.000000', '100.000000', '+Inf'];

function roleOf(member: ClusterMember | undefined): Role {
  if (!member) return 'single';
  return member.role === 'Agent' ? 'agent' : member.role === 'DBServer' ? 'dbserver' : 'coordinator';
}

function versionLess(a: string, b: VersionInfo): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(a);
  if (!m) return true;
  const [x, y, z] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (x !== b.major) return x < b.major;
  if (y !== b.minor) return y < b.minor;
  return z <= b.patch;
}

/** promlint rules the real server satisfies: `_total` ⇔ counter. */
function fixType(def: MetricDef): MetricDef['type'] {
  if (def.type === 'histogram') return 'histogram';
  if (def.name.endsWith('_total')) return 'counter';
  return def.type === 'counter' ? 'gauge' : def.type;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

interface Family {
  def: MetricDef;
  observed: ObservedFamily | undefined;
  type: MetricDef['type'];
}

/** The families a server of this role and version exposes. */
export function families(version: VersionInfo, member: ClusterMember | undefined): Family[] {
  const role = roleOf(member);
  const line = version.minor === 11 ? 'single311' : 'single312';
  const out: Family[] = [];
  for (const def of catalogue()) {
    const observed = def[line];
    // A family observed on this release line but "introduced" on a later one was backported.
    const backported = observed !== undefined && Number(def.introducedIn.split('.')[1]) > version.minor;
    if (!backported && !versionLess(def.introducedIn, version)) continue;
    if (!observed && !def.documentedIn.includes(`3.${version.minor}`)) continue;
    const include =
      role === 'single'
        ? observed !== undefined
        : def.exposedBy.includes(role) && (observed !== undefined || !def.exposedBy.includes('single'));
    if (!include) continue;
    out.push({ def, observed, type: observed?.type ?? fixType(def) });
  }
  return out.sort((a, b) => (a.def.name < b.def.name ? -1 : 1));
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(6);
}

/** Prometheus text for one server, values derived from time so counters only grow. */
export function renderMetrics(
  version: VersionInfo,
  member: ClusterMember | undefined,
  inputs: MetricsInputs,
): string {
  const role = metricsRole(member);
  const globals = member?.shortName ? `shortname="${member.shortName}",role="${role}"` : `role="${role}"`;
  const elapsed = Math.max(1, (inputs.nowMs - inputs.startedMs) / 1000) + inputs.scrapes;
  const uptime = elapsed + 3600;
  const lines: string[] = [];
  const engineTail: string[] = [];
  for (const fam of families(version, member)) {
    const { def, observed, type } = fam;
    const name = def.name;
    const seed = hash(`${name}|${member?.id ?? 'single'}`);
    const unlabelled = version.minor === 11 && observed?.unlabelled === true;
    const target = unlabelled ? engineTail : lines;
    if (unlabelled) target.push('');
    target.push(`# HELP ${name} ${unlabelled ? name : (observed?.help ?? def.help)}`);
    target.push(`# TYPE ${name} ${type}`);
    const labelSets =
      observed?.labelSets ??
      (name.startsWith('arangodb_connection_pool_') && member
        ? ['pool="AgencyComm"', 'pool="ClusterComm"']
        : ['']);
    for (const extra of labelSets) {
      const labels = unlabelled ? '' : `{${[globals, extra].filter(Boolean).join(',')}}`;
      const labelsWith = (more: string): string =>
        `{${[unlabelled ? '' : globals, extra, more].filter(Boolean).join(',')}}`;
      if (type === 'histogram') {
        const buckets = observed?.buckets ?? DEFAULT_BUCKETS;
        const count = Math.floor(uptime * ((seed % 50) / 10 + 0.1));
        let cumulative = 0;
        const finite = buckets.length - 1;
        buckets.forEach((le, i) => {
          cumulative = le === '+Inf' ? count : Math.floor(count * Math.min(1, ((i + 1) / finite) ** 0.5));
          target.push(`${name}_bucket${labelsWith(`le="${le}"`)} ${cumulative}`);
        });
        target.push(`${name}_count${labels} ${count}`);
        target.push(`${name}_sum${labels} ${fmt(count * (((seed >>> 8) % 100) / 10 + 0.5))}`);
        continue;
      }
      target.push(`${name}${labels} ${fmt(sampleValue(name, type, seed, elapsed, uptime, inputs))}`);
    }
  }
  return `${[...lines, ...engineTail].join('\n')}\n`;
}

/** The coordinator's `arangodb_metadata_*` shard families (3.12.8+), from the cluster-wide counts. */
const CLUSTER_SHARD_FAMILIES: Record<string, (c: ClusterShardCounts) => number> = {
  arangodb_metadata_number_of_shards: (c) => c.leader,
  arangodb_metadata_number_follower_shards: (c) => c.follower,
  arangodb_metadata_total_number_of_shards: (c) => c.leader + c.follower,
  arangodb_metadata_number_out_of_sync_shards: (c) => c.outOfSync,
  arangodb_metadata_number_not_replicated_shards: (c) => c.notReplicated,
  arangodb_metadata_shard_followers_out_of_sync_number: (c) => c.followersOutOfSync,
};

function sampleValue(
  name: string,
  type: string,
  seed: number,
  elapsed: number,
  uptime: number,
  inputs: MetricsInputs,
): number {
  switch (name) {
    case 'arangodb_shards_out_of_sync':
      return inputs.shards.outOfSync;
    case 'arangodb_shards_not_replicated':
      return inputs.shards.notReplicated;
    case 'arangodb_shards_number':
      return inputs.shards.number;
    case 'arangodb_shards_leader_number':
      return inputs.shards.leader;
    case 'arangodb_server_statistics_server_uptime_total':
      return Math.floor(uptime);
    case 'arangodb_process_statistics_resident_set_size_percent':
      return 0.25 + 0.05 * Math.sin(elapsed / 60);
    case 'rocksdb_free_disk_space':
      return 200e9 - inputs.documents * 200;
    case 'rocksdb_total_disk_space':
      return 250e9;
    case 'rocksdb_estimate_num_keys':
      return inputs.documents;
  }
  const clusterShards = CLUSTER_SHARD_FAMILIES[name];
  if (clusterShards) return clusterShards(inputs.clusterShards);
  if (type === 'counter') return Math.floor(((seed % 1000) + 1) * (uptime / 10));
  const base = (seed % 10000) / 10;
  if (name.includes('percent') || name.includes('ratio')) return (seed % 100) / 100;
  return Math.max(0, Math.round(base * (1 + 0.1 * Math.sin(elapsed / 30 + (seed % 7)))));
}
