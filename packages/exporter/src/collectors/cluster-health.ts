import type { ArangoConnection } from '@arangops/core';
import type { CollectorContext } from '../collector.js';

/** The metrics `role` spelling (ServerState::roleToString), used on every role label we emit. */
export type MetricsRole = 'SINGLE' | 'COORDINATOR' | 'PRIMARY' | 'AGENT';

export interface HealthMember {
  id: string;
  role: MetricsRole;
  shortName?: string;
  endpoint?: string;
  version?: string;
  engine?: string;
  status?: string;
  syncStatus?: string;
  canBeDeleted?: boolean;
  /** ISO string for DB-Servers and coordinators, seconds (a number) for agents. */
  lastAckedTime?: string | number;
  leader?: string;
  leading?: boolean;
}

export interface ClusterView {
  /** Role of the configured endpoint. */
  role: MetricsRole;
  /** Empty on a single server. */
  members: HealthMember[];
}

// The health API writes "DBServer"/"Coordinator"/"Agent"; the docs say upper case. Compare case-insensitively.
const ROLES: Record<string, MetricsRole> = {
  dbserver: 'PRIMARY',
  primary: 'PRIMARY',
  coordinator: 'COORDINATOR',
  agent: 'AGENT',
  single: 'SINGLE',
};

export function toMetricsRole(value: unknown): MetricsRole | undefined {
  return typeof value === 'string' ? ROLES[value.toLowerCase()] : undefined;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function parseHealth(body: unknown): HealthMember[] {
  const health = (body as { Health?: unknown } | undefined)?.Health;
  if (typeof health !== 'object' || health === null) throw new Error('health answer without a Health object');
  const members: HealthMember[] = [];
  for (const [id, raw] of Object.entries(health as Record<string, Record<string, unknown>>)) {
    const role = toMetricsRole(raw.Role) ?? (id.startsWith('AGNT') ? 'AGENT' : undefined);
    if (!role) continue;
    const lastAcked = raw.LastAckedTime;
    members.push({
      id,
      role,
      shortName: text(raw.ShortName),
      endpoint: text(raw.Endpoint),
      version: text(raw.Version),
      engine: text(raw.Engine),
      status: text(raw.Status),
      syncStatus: text(raw.SyncStatus),
      canBeDeleted: typeof raw.CanBeDeleted === 'boolean' ? raw.CanBeDeleted : undefined,
      lastAckedTime: typeof lastAcked === 'string' || typeof lastAcked === 'number' ? lastAcked : undefined,
      leader: text(raw.Leader),
      leading: typeof raw.Leading === 'boolean' ? raw.Leading : undefined,
    });
  }
  return members;
}

/** The deployment as one picture, fetched once per collection run and shared by the collectors. */
export function loadClusterView(
  context: CollectorContext,
  connection: ArangoConnection,
): Promise<ClusterView> {
  return context.shared('cluster-view', async () => {
    const db = connection.database();
    // Only a coordinator answers the health call with a Health object: then no role call is needed.
    const health = await db.request({ pathname: '/_admin/cluster/health', timeout: context.timeoutMs }).then(
      (body: unknown) => ({ body }),
      (error: unknown) => ({ error }),
    );
    if ('body' in health && (health.body as { Health?: unknown } | undefined)?.Health) {
      return { role: 'COORDINATOR', members: parseHealth(health.body) };
    }
    const { role: rawRole } = (await db.request({
      pathname: '/_admin/server/role',
      timeout: context.timeoutMs,
    })) as { role?: unknown };
    const role = toMetricsRole(rawRole);
    if (!role) throw new Error(`unexpected server role ${JSON.stringify(rawRole)}`);
    // A coordinator whose health call failed: that failure is the collector's.
    if (role === 'COORDINATOR')
      throw 'error' in health ? health.error : new Error('health answer without a Health object');
    return { role, members: [] };
  });
}
