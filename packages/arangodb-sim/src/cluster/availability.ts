/**
 * Which shards a coordinator can reach. Shard i of a collection is led by DB-Server i mod n, its
 * followers are the next replicationFactor-1 servers. While a shard's leader is FAILED, reads and
 * writes of it fail with 503/1478 (ERROR_CLUSTER_BACKEND_UNAVAILABLE) until the supervision moves
 * leadership to an in-sync follower: after the failover delay, or at once through `failover()`.
 * A shard without a healthy follower (replicationFactor 1) stays unreachable until its leader is back.
 */
import { SimError } from '../aql/host.js';
import type { Instance } from '../instance.js';
import type { ShardingProps } from '../storage/collection.js';
import type { ClusterMember } from '../types.js';

/** The hash `PUT /_api/collection/<name>/responsibleShard` answers with, over the shard key `_key`. */
export function responsibleShardIndex(key: string, shards: number): number {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % shards;
}

function backendUnavailable(): SimError {
  return new SimError(
    503,
    1478,
    'A cluster backend which was required for the operation could not be reached',
  );
}

function dbServers(inst: Instance): ClusterMember[] {
  return inst.members.filter((m) => m.role === 'DBServer');
}

/** The servers holding shard `i`: its planned leader first, then its followers. */
export function shardServers(inst: Instance, sharding: ShardingProps, i: number): ClusterMember[] {
  const servers = dbServers(inst);
  const n = servers.length;
  const rf = sharding.replicationFactor === 'satellite' ? n : Math.min(sharding.replicationFactor, n);
  return Array.from({ length: Math.max(1, rf) }, (_, k) => servers[(i + k) % n] as ClusterMember);
}

function isFailed(inst: Instance, m: ClusterMember): boolean {
  return inst.memberStatus.get(m.id) === 'FAILED';
}

function shardReachable(inst: Instance, sharding: ShardingProps, i: number): boolean {
  const [leader, ...followers] = shardServers(inst, sharding, i);
  if (!leader || !isFailed(inst, leader)) return true;
  return inst.failedOver(leader.id) && followers.some((f) => !isFailed(inst, f));
}

/**
 * Throws 503/1478 unless the shards an operation touches are reachable: the shard responsible for
 * `key` when given, else every shard of the collection (scans, imports, queries, counts).
 */
export function assertReachable(inst: Instance, sharding: ShardingProps | undefined, key?: string): void {
  if (!sharding || inst.memberStatus.size === 0) return;
  const n = sharding.shards.length;
  const touched = key === undefined ? [...Array(n).keys()] : [responsibleShardIndex(key, n)];
  if (!touched.every((i) => shardReachable(inst, sharding, i))) throw backendUnavailable();
}
