import type { ArangoConnection } from '@arangops/core';
import { type Collector, requestTimeoutMs } from '../collector.js';
import { CLUSTER_METRICS } from '../metric-names.js';
import { type HealthMember, loadClusterView } from './cluster-health.js';
import { coordinatorShardCounts, supervisionMaintenance } from './cluster-shards.js';

const STATUSES = ['GOOD', 'BAD', 'FAILED'] as const;
const SYNC_STATUSES = [
  'SERVING',
  'STARTUP',
  'STOPPING',
  'STOPPED',
  'SHUTDOWN',
  'UNKNOWN',
  'UNDEFINED',
] as const;

/** Every value of a state set, plus the observed one if the server invented a new one. */
const stateSet = (known: readonly string[], current: string | undefined) =>
  current === undefined || known.includes(current) ? known : [...known, current];

/**
 * A timestamp rather than an age, so that the age is `time() - x` on Prometheus's clock. Agents
 * report an age (seconds since the leader heard from them), turned into a time on ours.
 */
function lastAckTimestampSeconds(member: HealthMember, nowMs: number): number | undefined {
  const acked = member.lastAckedTime;
  if (typeof acked === 'number') return (nowMs - acked * 1000) / 1000;
  if (typeof acked !== 'string') return undefined;
  const at = Date.parse(acked);
  return Number.isNaN(at) ? undefined : at / 1000;
}

/**
 * The license's expiry from `/_admin/license` (3.11 and 3.12.0 report `features.expires`; later
 * 3.12 versions report disk usage instead). Its absence is not the collector's failure.
 */
async function licenseExpiry(connection: ArangoConnection, timeoutMs: number): Promise<number | undefined> {
  try {
    const body = (await connection
      .database()
      .request({ pathname: '/_admin/license', timeout: requestTimeoutMs(timeoutMs) })) as {
      features?: { expires?: unknown };
    };
    const expires = body.features?.expires;
    return typeof expires === 'number' && Number.isFinite(expires) ? expires : undefined;
  } catch {
    return undefined;
  }
}

export function clusterCollector(options: {
  connection: ArangoConnection;
  timeoutMs: number;
  now: () => number;
}): Collector {
  return {
    name: 'cluster',
    needsArango: true,
    timeoutMs: options.timeoutMs,
    async collect(context) {
      const license = licenseExpiry(options.connection, context.timeoutMs);
      const view = await loadClusterView(context, options.connection);
      context.family(CLUSTER_METRICS.role).set({ role: view.role }, 1);
      const expires = await license;
      if (expires !== undefined) context.family(CLUSTER_METRICS.licenseExpiry).set({}, expires);
      const info = context.family(CLUSTER_METRICS.memberInfo);
      const status = context.family(CLUSTER_METRICS.memberStatus);
      const sync = context.family(CLUSTER_METRICS.memberSyncStatus);
      const canBeDeleted = context.family(CLUSTER_METRICS.memberCanBeDeleted);
      const lastAck = context.family(CLUSTER_METRICS.memberLastAck);
      const leader = context.family(CLUSTER_METRICS.agentLeader);
      const members = context.family(CLUSTER_METRICS.members);
      const versions = context.family(CLUSTER_METRICS.versions);
      if (view.members.length === 0) return;
      // Asked once the view says cluster: a single server has neither, and is not asked per scrape.
      const [shardCounts, maintenance] = await Promise.all([
        coordinatorShardCounts(options.connection, context.timeoutMs),
        supervisionMaintenance(options.connection, context.timeoutMs),
      ]);
      for (const [definition, value] of shardCounts) context.family(definition).set({}, value);
      if (maintenance !== undefined)
        context.family(CLUSTER_METRICS.supervisionMaintenance).set({}, maintenance);

      const now = options.now();
      const perRole = new Map<string, number>();
      const leaderIds = new Set(view.members.map((m) => m.leader).filter((id) => id !== undefined));
      for (const member of view.members) {
        const server = member.id;
        const role = member.role;
        perRole.set(role, (perRole.get(role) ?? 0) + 1);
        info.set(
          {
            server,
            role,
            shortname: member.shortName ?? '',
            endpoint: member.endpoint ?? '',
            version: member.version ?? '',
            engine: member.engine ?? '',
          },
          1,
        );
        for (const value of stateSet(STATUSES, member.status)) {
          status.set({ server, role, status: value }, value === member.status ? 1 : 0);
        }
        if (role !== 'AGENT') {
          for (const value of stateSet(SYNC_STATUSES, member.syncStatus)) {
            sync.set({ server, role, sync_status: value }, value === member.syncStatus ? 1 : 0);
          }
        }
        if (member.canBeDeleted !== undefined)
          canBeDeleted.set({ server, role }, member.canBeDeleted ? 1 : 0);
        const acked = lastAckTimestampSeconds(member, now);
        if (acked !== undefined) lastAck.set({ server, role }, acked);
        if (role === 'AGENT') {
          leader.set({ server }, (member.leading ?? leaderIds.has(server)) ? 1 : 0);
        }
      }
      for (const [role, count] of perRole) members.set({ role }, count);
      versions.set({}, new Set(view.members.map((m) => m.version).filter((v) => v !== undefined)).size);
    },
  };
}
