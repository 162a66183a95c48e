import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../../../test/harness/tools.js';
import { startSimulator } from '../server.js';
import type { Simulator } from '../types.js';

function promtool(binary: string, text: string): { status: number | null; output: string } {
  const r = spawnSync(binary, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

async function scrape(sim: Simulator, serverId?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${sim.url}/_admin/metrics/v2${serverId ? `?serverId=${serverId}` : ''}`);
  return { status: res.status, text: await res.text() };
}

function sample(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`no sample for ${name}`);
  return Number(m[1]);
}

describe('Prometheus exposition', () => {
  let single: Simulator;
  let cluster: Simulator;
  let old: Simulator;

  beforeAll(async () => {
    single = await startSimulator({ version: '3.12.10' });
    cluster = await startSimulator({ version: '3.12.10', mode: 'cluster' });
    old = await startSimulator({ version: '3.11.14', mode: 'cluster' });
  });
  afterAll(async () => {
    await Promise.all([single.stop(), cluster.stop(), old.stop()]);
  });

  it('labels every single-server sample role="SINGLE" and keeps counters monotonic', async () => {
    const a = await scrape(single);
    expect(a.status).toBe(200);
    const lines = a.text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.every((l) => l.includes('role="SINGLE"'))).toBe(true);
    const b = await scrape(single);
    const counter = 'arangodb_http2_connections_total';
    expect(sample(b.text, counter)).toBeGreaterThan(sample(a.text, counter));
  });

  it('answers per server through ?serverId= with the real role labels', async () => {
    const dbServer = cluster.state.members.find((m) => m.role === 'DBServer');
    const coordinator = cluster.state.members.find((m) => m.role === 'Coordinator');
    const agent = cluster.state.members.find((m) => m.role === 'Agent');
    if (!dbServer || !coordinator || !agent) throw new Error('incomplete topology');
    const d = await scrape(cluster, dbServer.id);
    expect(d.text).toContain(
      `arangodb_shards_out_of_sync{shortname="${dbServer.shortName}",role="PRIMARY"} 0`,
    );
    const c = await scrape(cluster, coordinator.id);
    expect(c.text).toContain(`role="COORDINATOR"`);
    expect(c.text).not.toContain('arangodb_shards_out_of_sync');
    // Agents are not registered cluster servers: a coordinator cannot proxy to them.
    expect((await scrape(cluster, agent.id)).status).toBe(404);
    const direct = await fetch(`${cluster.url}/_sim/members/${agent.id}/metrics`);
    const agentText = await direct.text();
    expect(agentText).toContain('arangodb_agency_term{role="AGENT"}');
    expect(agentText).not.toContain('shortname=');
    expect((await scrape(cluster, 'PRMR-unknown')).status).toBe(404);
    const servers = cluster.state.members.filter((m) => m.role === 'DBServer');
    const healthyLeaders = await Promise.all(
      servers.map(async (m) => sample((await scrape(cluster, m.id)).text, 'arangodb_shards_leader_number')),
    );
    expect(healthyLeaders.every((n) => n > 0)).toBe(true);
    cluster.faults.setMemberStatus(dbServer.id, 'BAD');
    // Shards whose follower sits on the BAD server fall out of sync on their leaders.
    const outOfSync = await Promise.all(
      servers.map(async (m) => sample((await scrape(cluster, m.id)).text, 'arangodb_shards_out_of_sync')),
    );
    expect(outOfSync[0]).toBe(0);
    expect(outOfSync.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await cluster.faults.reset();
  });

  it('reproduces the unlabelled rocksdb_* block of 3.11', async () => {
    const dbServer = old.state.members.find((m) => m.role === 'DBServer');
    const t = (await scrape(old, dbServer?.id)).text;
    expect(t).toMatch(
      /\n\n# HELP rocksdb_free_disk_space rocksdb_free_disk_space\n# TYPE rocksdb_free_disk_space gauge\nrocksdb_free_disk_space \d+/,
    );
    const t12 = (await scrape(cluster, cluster.state.members.find((m) => m.role === 'DBServer')?.id)).text;
    expect(t12).toMatch(/rocksdb_free_disk_space\{shortname="DBServer0001",role="PRIMARY"\} \d+/);
  });

  it('passes promtool check metrics for every role and version', async (ctx) => {
    const binary = requireTool('promtool', 'checking the simulated metrics pages', ctx);
    const bodies = [(await scrape(single)).text];
    for (const sim of [cluster, old]) {
      for (const m of sim.state.members) {
        bodies.push(await (await fetch(`${sim.url}/_sim/members/${m.id}/metrics`)).text());
      }
    }
    for (const body of bodies) {
      const r = promtool(binary, body);
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    }
  });
});
