import type { Instance } from '../instance.js';
import type { ClusterMember } from '../types.js';
import { renderMetrics } from './exposition.js';

/** One server's metrics page, with the live inputs taken from the instance state. */
export function scrapeMember(inst: Instance, member: ClusterMember | undefined): string {
  let shards = 0;
  let documents = 0;
  let collections = 0;
  for (const db of inst.databases.values()) {
    for (const c of db.collections.values()) {
      collections += 1;
      documents += c.count();
      shards += c.props.sharding?.shards.length ?? 1;
    }
  }
  const unhealthy = inst.members.filter((m) => m.role === 'DBServer' && inst.memberStatus.has(m.id)).length;
  inst.metricsScrapes += 1;
  return renderMetrics(inst.version, member, {
    nowMs: inst.clock(),
    startedMs: inst.startedAt,
    unhealthyDbServers: unhealthy,
    totalShards: shards,
    documents,
    collections,
    scrapes: inst.metricsScrapes,
  });
}
