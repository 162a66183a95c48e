import type { Instance } from '../instance.js';
import type { ClusterMember } from '../types.js';
import { type ClusterShardCounts, renderMetrics, type ShardCounts } from './exposition.js';

/** One planned shard: its leader's and followers' indexes among the DB-Servers. */
interface PlannedShard {
  leader: number;
  followers: number[];
}

/**
 * Shard placement as a coordinator plans it: shard i of the cluster-wide sequence is led by
 * DB-Server i mod n, its followers are the next replicationFactor-1 servers.
 */
function* plannedShards(inst: Instance, servers: ClusterMember[]): Generator<PlannedShard> {
  let seq = 0;
  for (const db of inst.databases.values()) {
    for (const c of db.collections.values()) {
      const s = c.props.sharding;
      if (!s) continue;
      const rf =
        s.replicationFactor === 'satellite' ? servers.length : Math.min(s.replicationFactor, servers.length);
      for (let i = 0; i < s.shards.length; i++, seq++) {
        const leader = seq % servers.length;
        yield {
          leader,
          followers: Array.from({ length: rf - 1 }, (_, k) => (leader + k + 1) % servers.length),
        };
      }
    }
  }
}

/**
 * A follower is in sync while its DB-Server is GOOD. As the leader's maintenance reports it
 * (Maintenance.cpp, assembleLocalCollectionInfo), a shard is in sync when every planned follower
 * is, and replicated when at least one is: a shard with replicationFactor 1 is never replicated.
 */
function syncOf(inst: Instance, servers: ClusterMember[], shard: PlannedShard) {
  const healthy = (i: number) => !inst.memberStatus.has((servers[i] as ClusterMember).id);
  const behind = shard.followers.filter((f) => !healthy(f)).length;
  return {
    followersOutOfSync: behind,
    outOfSync: behind > 0,
    notReplicated: behind === shard.followers.length,
  };
}

function shardCounts(inst: Instance, member: ClusterMember | undefined): ShardCounts {
  const counts: ShardCounts = { number: 0, leader: 0, outOfSync: 0, notReplicated: 0 };
  if (member?.role !== 'DBServer') return counts;
  const servers = inst.members.filter((m) => m.role === 'DBServer');
  const me = servers.indexOf(member);
  for (const shard of plannedShards(inst, servers)) {
    if (shard.leader === me || shard.followers.includes(me)) counts.number += 1;
    if (shard.leader !== me) continue;
    counts.leader += 1;
    const sync = syncOf(inst, servers, shard);
    if (sync.outOfSync) counts.outOfSync += 1;
    if (sync.notReplicated) counts.notReplicated += 1;
  }
  return counts;
}

/** What a coordinator reports for the whole cluster (the `arangodb_metadata_*` shard families). */
function clusterShardCounts(inst: Instance, member: ClusterMember | undefined): ClusterShardCounts {
  const counts: ClusterShardCounts = {
    leader: 0,
    follower: 0,
    outOfSync: 0,
    notReplicated: 0,
    followersOutOfSync: 0,
  };
  if (member?.role !== 'Coordinator') return counts;
  const servers = inst.members.filter((m) => m.role === 'DBServer');
  for (const shard of plannedShards(inst, servers)) {
    const sync = syncOf(inst, servers, shard);
    counts.leader += 1;
    counts.follower += shard.followers.length;
    counts.followersOutOfSync += sync.followersOutOfSync;
    if (sync.outOfSync) counts.outOfSync += 1;
    if (sync.notReplicated) counts.notReplicated += 1;
  }
  return counts;
}

/** One server's metrics page, with the live inputs taken from the instance state. */
export function scrapeMember(inst: Instance, member: ClusterMember | undefined): string {
  let documents = 0;
  for (const db of inst.databases.values()) for (const c of db.collections.values()) documents += c.count();
  inst.metricsScrapes += 1;
  return renderMetrics(inst.version, member, {
    nowMs: inst.clock(),
    startedMs: inst.startedAt,
    shards: shardCounts(inst, member),
    clusterShards: clusterShardCounts(inst, member),
    documents,
    scrapes: inst.metricsScrapes,
  });
}
