import type { Instance } from '../instance.js';
import type { ClusterMember } from '../types.js';
import { renderMetrics, type ShardCounts } from './exposition.js';

/**
 * Shard placement as a coordinator plans it: shard i of the cluster-wide sequence is led by
 * DB-Server i mod n, its followers are the next replicationFactor-1 servers.
 */
function shardCounts(inst: Instance, member: ClusterMember | undefined): ShardCounts {
  const counts: ShardCounts = { number: 0, leader: 0, outOfSync: 0, notReplicated: 0 };
  if (member?.role !== 'DBServer') return counts;
  const servers = inst.members.filter((m) => m.role === 'DBServer');
  const me = servers.indexOf(member);
  const healthy = (i: number) => !inst.memberStatus.has((servers[i % servers.length] as ClusterMember).id);
  let seq = 0;
  for (const db of inst.databases.values()) {
    for (const c of db.collections.values()) {
      const s = c.props.sharding;
      if (!s) continue;
      const rf =
        s.replicationFactor === 'satellite' ? servers.length : Math.min(s.replicationFactor, servers.length);
      for (let i = 0; i < s.shards.length; i++, seq++) {
        const leader = seq % servers.length;
        const followers = Array.from({ length: rf - 1 }, (_, k) => (leader + k + 1) % servers.length);
        if (leader === me || followers.includes(me)) counts.number += 1;
        if (leader !== me) continue;
        counts.leader += 1;
        if (followers.some((f) => !healthy(f))) counts.outOfSync += 1;
        if (followers.length > 0 && followers.every((f) => !healthy(f))) counts.notReplicated += 1;
      }
    }
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
    documents,
    scrapes: inst.metricsScrapes,
  });
}
