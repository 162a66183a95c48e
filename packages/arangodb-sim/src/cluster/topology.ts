import type { ClusterMember } from '../types.js';

/** Deterministic UUID-shaped ids so tests can hard-code nothing yet get stable output per run. */
function uuid(seed: number): string {
  let x = seed >>> 0;
  let hex = '';
  while (hex.length < 32) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    hex += x.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The fixed 3 agents + 3 DB-Servers + 3 coordinators of a simulated cluster; this server is Coordinator0001. */
export function clusterMembers(port: number): ClusterMember[] {
  const members: ClusterMember[] = [];
  for (let i = 1; i <= 3; i++) {
    members.push({ id: `AGNT-${uuid(100 + i)}`, role: 'Agent', endpoint: `tcp://agent${i}:8531` });
  }
  for (let i = 1; i <= 3; i++) {
    members.push({
      id: `PRMR-${uuid(200 + i)}`,
      shortName: `DBServer000${i}`,
      role: 'DBServer',
      endpoint: `tcp://dbserver${i}:8530`,
    });
  }
  for (let i = 1; i <= 3; i++) {
    members.push({
      id: `CRDN-${uuid(300 + i)}`,
      shortName: `Coordinator000${i}`,
      role: 'Coordinator',
      endpoint: i === 1 ? `tcp://127.0.0.1:${port}` : `tcp://coordinator${i}:8529`,
    });
  }
  return members;
}

export function findMember(members: ClusterMember[], idOrShortName: string): ClusterMember | undefined {
  return members.find((m) => m.id === idOrShortName || m.shortName === idOrShortName);
}

/** The metrics `role` label (ServerState::roleToString), not the health API's spelling. */
export function metricsRole(m: ClusterMember | undefined): 'SINGLE' | 'AGENT' | 'PRIMARY' | 'COORDINATOR' {
  if (!m) return 'SINGLE';
  return m.role === 'Agent' ? 'AGENT' : m.role === 'DBServer' ? 'PRIMARY' : 'COORDINATOR';
}
