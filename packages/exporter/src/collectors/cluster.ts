import type { ArangoConnection } from '@arangops/core';
import type { Collector } from '../collector.js';
import { CLUSTER_METRICS } from '../metric-names.js';
import { type HealthMember, loadClusterView } from './cluster-health.js';

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

function lastAckAgeSeconds(member: HealthMember, nowMs: number): number | undefined {
  const acked = member.lastAckedTime;
  if (typeof acked === 'number') return acked;
  if (typeof acked !== 'string') return undefined;
  const at = Date.parse(acked);
  return Number.isNaN(at) ? undefined : Math.max(0, (nowMs - at) / 1000);
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
      const view = await loadClusterView(context, options.connection);
      context.family(CLUSTER_METRICS.role).set({ role: view.role }, 1);
      const info = context.family(CLUSTER_METRICS.memberInfo);
      const status = context.family(CLUSTER_METRICS.memberStatus);
      const sync = context.family(CLUSTER_METRICS.memberSyncStatus);
      const canBeDeleted = context.family(CLUSTER_METRICS.memberCanBeDeleted);
      const lastAck = context.family(CLUSTER_METRICS.memberLastAckAge);
      const leader = context.family(CLUSTER_METRICS.agentLeader);
      const members = context.family(CLUSTER_METRICS.members);
      const versions = context.family(CLUSTER_METRICS.versions);
      if (view.members.length === 0) return;

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
        const age = lastAckAgeSeconds(member, now);
        if (age !== undefined) lastAck.set({ server, role }, age);
        if (role === 'AGENT') {
          leader.set({ server }, (member.leading ?? leaderIds.has(server)) ? 1 : 0);
        }
      }
      for (const [role, count] of perRole) members.set({ role }, count);
      versions.set({}, new Set(view.members.map((m) => m.version).filter((v) => v !== undefined)).size);
    },
  };
}
