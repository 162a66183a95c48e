/**
 * What a coordinator reports about the whole cluster's shards and its supervision: the
 * `arangodb_metadata_*` shard families of its own metrics page (3.12.8+) and
 * `/_admin/cluster/maintenance` (Supervision/State/Mode, admin users only).
 */
import { describe, expect, it } from 'vitest';
import { req, sim } from '../__tests__/sim-http.js';
import type { Simulator } from '../types.js';

function sample(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

async function coordinatorPage(s: Simulator, serverId?: string) {
  return (await fetch(`${s.url}/_admin/metrics/v2${serverId ? `?serverId=${serverId}` : ''}`)).text();
}

/** 3 shards with 2 copies, 3 with 1 (besides the system collections). */
async function cluster(version = '3.12.10') {
  const clock = { t: 1_700_000_000_000 };
  const s = await sim({ mode: 'cluster', version, clock: () => clock.t, failoverDelayMs: 10_000 });
  await req(s, 'POST', '/_api/collection', { name: 'replicated', numberOfShards: 3, replicationFactor: 2 });
  await req(s, 'POST', '/_api/collection', { name: 'single', numberOfShards: 3, replicationFactor: 1 });
  return { s, clock };
}

describe('the coordinator’s cluster-wide shard counts', () => {
  it('count every shard in sync on a healthy cluster, and agree with the DB-Servers when one fails', async () => {
    const { s } = await cluster();
    const healthy = await coordinatorPage(s);
    const leaders = sample(healthy, 'arangodb_metadata_number_of_shards') as number;
    const followers = sample(healthy, 'arangodb_metadata_number_follower_shards') as number;
    // The system collections (replicationFactor 2) plus 6 shards with 3 followers.
    expect(leaders).toBeGreaterThan(6);
    expect(followers).toBeGreaterThanOrEqual(3);
    expect(sample(healthy, 'arangodb_metadata_total_number_of_shards')).toBe(leaders + followers);
    expect(sample(healthy, 'arangodb_metadata_number_out_of_sync_shards')).toBe(0);
    // A shard with replicationFactor 1 has no follower in sync: it is never replicated.
    expect(sample(healthy, 'arangodb_metadata_number_not_replicated_shards')).toBe(3);
    expect(sample(healthy, 'arangodb_metadata_shard_followers_out_of_sync_number')).toBe(0);

    s.faults.setMemberStatus('DBServer0002', 'FAILED');
    const failed = await coordinatorPage(s);
    const outOfSync = sample(failed, 'arangodb_metadata_number_out_of_sync_shards') as number;
    // With 2 copies, a shard whose follower failed has none in sync: out of sync and not replicated.
    expect(outOfSync).toBeGreaterThan(0);
    expect(sample(failed, 'arangodb_metadata_number_not_replicated_shards')).toBe(3 + outOfSync);
    expect(sample(failed, 'arangodb_metadata_shard_followers_out_of_sync_number')).toBe(outOfSync);
    // The same shards the leaders report on their own pages.
    const perLeader = await Promise.all(
      s.state.members
        .filter((m) => m.role === 'DBServer' && m.shortName !== 'DBServer0002')
        .map(async (m) => sample(await coordinatorPage(s, m.id), 'arangodb_shards_out_of_sync') as number),
    );
    expect(perLeader.reduce((a, b) => a + b, 0)).toBe(outOfSync);
    await s.faults.reset();
    expect(sample(await coordinatorPage(s), 'arangodb_metadata_number_out_of_sync_shards')).toBe(0);
  });

  it('are not on the pages of versions before 3.12.8, nor on a DB-Server’s page', async () => {
    const { s } = await cluster('3.11.14');
    expect(sample(await coordinatorPage(s), 'arangodb_metadata_number_out_of_sync_shards')).toBeUndefined();
    const { s: twelve } = await cluster();
    const dbServer = twelve.state.members.find((m) => m.role === 'DBServer');
    const page = await coordinatorPage(twelve, dbServer?.id);
    expect(sample(page, 'arangodb_metadata_number_out_of_sync_shards')).toBeUndefined();
  });
});

describe('/_admin/cluster/maintenance', () => {
  it('reports Normal, then Maintenance for the requested time, and reactivates itself', async () => {
    const { s, clock } = await cluster();
    expect((await req(s, 'GET', '/_admin/cluster/maintenance')).body).toEqual({
      error: false,
      result: 'Normal',
    });
    const on = await req(s, 'PUT', '/_admin/cluster/maintenance', '"on"');
    expect(on.status).toBe(200);
    expect(on.body.error).toBe(false);
    // The reactivation time, an hour later, as an ISO date without milliseconds.
    expect(on.body.warning).toContain('2023-11-14T23:13:20Z');
    expect((await req(s, 'GET', '/_admin/cluster/maintenance')).body).toEqual({
      error: false,
      result: 'Maintenance',
    });
    clock.t += 3600 * 1000;
    expect((await req(s, 'GET', '/_admin/cluster/maintenance')).body.result).toBe('Normal');
    expect((await req(s, 'PUT', '/_admin/cluster/maintenance', '"1800"')).status).toBe(200);
    expect((await req(s, 'GET', '/_admin/cluster/maintenance')).body.result).toBe('Maintenance');
    expect((await req(s, 'PUT', '/_admin/cluster/maintenance', '"off"')).status).toBe(200);
    expect((await req(s, 'GET', '/_admin/cluster/maintenance')).body.result).toBe('Normal');
  });

  it('refuses a value other than on, off or seconds, and leaves the mode as it was', async () => {
    const { s } = await cluster();
    const bad = await req(s, 'PUT', '/_admin/cluster/maintenance', '"piff!"');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: true, code: 400, errorNum: 10 });
    expect((await req(s, 'GET', '/_admin/cluster/maintenance')).body.result).toBe('Normal');
  });

  it('starts no automatic failover while the supervision is in maintenance mode', async () => {
    const { s, clock } = await cluster();
    await fetch(`${s.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ maintenanceSeconds: 600 }),
    });
    expect(s.faults.snapshot().supervisionMode).toBe('Maintenance');
    s.faults.setMemberStatus('DBServer0001', 'FAILED');
    clock.t += 20_000;
    expect(s.faults.snapshot().failedOver).toEqual([]);
    s.faults.setSupervisionMaintenance(0);
    expect(s.faults.snapshot().failedOver).toHaveLength(1);
  });

  it('answers admin users only, and only in a cluster', async () => {
    const single = await sim({ mode: 'single' });
    expect(await req(single, 'GET', '/_admin/cluster/maintenance')).toMatchObject({
      status: 403,
      body: {
        error: true,
        errorNum: 403,
        errorMessage: 'only allowed on single server with active failover',
      },
    });
    const s = await sim({ mode: 'cluster', auth: { users: { root: 'pw' }, jwtSecret: 'secret' } });
    const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
    const asRoot = { authorization: basic('root', 'pw') };
    await fetch(`${s.url}/_api/user`, {
      method: 'POST',
      headers: asRoot,
      body: JSON.stringify({ user: 'reader', passwd: 'r' }),
    });
    await fetch(`${s.url}/_api/user/reader/database/_system`, {
      method: 'PUT',
      headers: asRoot,
      body: JSON.stringify({ grant: 'ro' }),
    });
    const asReader = await fetch(`${s.url}/_admin/cluster/maintenance`, {
      headers: { authorization: basic('reader', 'r') },
    });
    expect(asReader.status).toBe(403);
    expect(await asReader.json()).toMatchObject({ errorNum: 403 });
    const asAdmin = await fetch(`${s.url}/_admin/cluster/maintenance`, { headers: asRoot });
    expect(await asAdmin.json()).toEqual({ error: false, result: 'Normal' });
  });
});
