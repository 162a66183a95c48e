import { Database } from 'arangojs';
import { describe, expect, it } from 'vitest';
import { req, sim } from '../__tests__/sim-http.js';
import { responsibleShardIndex } from './availability.js';

/** A key of each shard of a 3-shard collection. */
const keys = [0, 1, 2].map((shard) => {
  for (let i = 0; ; i++) if (responsibleShardIndex(`k${i}`, 3) === shard) return `k${i}`;
});

async function cluster() {
  const clock = { t: 1_700_000_000_000 };
  const s = await sim({ mode: 'cluster', clock: () => clock.t, failoverDelayMs: 10_000 });
  for (const [name, replicationFactor] of [
    ['replicated', 2],
    ['single', 1],
  ] as const) {
    await req(s, 'POST', '/_api/collection', { name, numberOfShards: 3, replicationFactor });
    await req(
      s,
      'POST',
      `/_api/import?collection=${name}&type=list`,
      keys.map((_key) => ({ _key })),
    );
  }
  return { s, clock };
}

const UNAVAILABLE = {
  code: 503,
  error: true,
  errorMessage: 'A cluster backend which was required for the operation could not be reached',
  errorNum: 1478,
};

describe('a FAILED DB-Server in cluster mode', () => {
  it('fails reads and writes of the shards it leads until failover moves leadership to a follower', async () => {
    const { s, clock } = await cluster();
    s.faults.setMemberStatus('DBServer0001', 'FAILED'); // leads shard 0 of each collection
    for (const c of ['replicated', 'single']) {
      const read = await req(s, 'GET', `/_api/document/${c}/${keys[0]}`);
      expect(read.status).toBe(503);
      expect(read.body).toEqual(UNAVAILABLE);
      expect((await req(s, 'PATCH', `/_api/document/${c}/${keys[0]}`, { x: 1 })).body).toEqual(UNAVAILABLE);
      // Shards led by healthy servers answer.
      expect((await req(s, 'GET', `/_api/document/${c}/${keys[1]}`)).status).toBe(200);
      const query = await req(s, 'POST', '/_api/cursor', { query: `FOR d IN ${c} RETURN d._key` });
      expect(query.body).toMatchObject({ code: 503, errorNum: 1478 });
      for (const sub of ['count', 'figures', 'checksum']) {
        expect((await req(s, 'GET', `/_api/collection/${c}/${sub}`)).status).toBe(503);
      }
      expect((await req(s, 'PUT', `/_api/collection/${c}/truncate`)).status).toBe(503);
      expect((await req(s, 'GET', `/_api/collection/${c}/properties`)).status).toBe(200);
    }
    clock.t += 10_000;
    expect(s.faults.snapshot().failedOver).toHaveLength(1);
    expect((await req(s, 'GET', `/_api/document/replicated/${keys[0]}`)).status).toBe(200);
    const all = await req(s, 'POST', '/_api/cursor', { query: 'FOR d IN replicated RETURN d._key' });
    expect(all.body.result).toHaveLength(3);
    // Without a follower there is nothing to fail over to.
    expect((await req(s, 'GET', `/_api/document/single/${keys[0]}`)).status).toBe(503);
    s.faults.setMemberStatus('DBServer0001', 'GOOD');
    expect((await req(s, 'GET', `/_api/document/single/${keys[0]}`)).status).toBe(200);
  });

  it('fails over at once through /_sim/faults, and shard details list leader then follower', async () => {
    const { s } = await cluster();
    const servers = s.state.members.filter((m) => m.role === 'DBServer').map((m) => m.id);
    const details = await req(s, 'GET', '/_api/collection/replicated/shards?details=true');
    expect(Object.values(details.body.shards as object)).toEqual([
      [servers[0], servers[1]],
      [servers[1], servers[2]],
      [servers[2], servers[0]],
    ]);
    await req(s, 'POST', '/_sim/faults', { member: { id: 'DBServer0001', status: 'FAILED' } });
    const db = new Database({ url: s.url });
    await expect(db.collection('replicated').document(keys[0] as string)).rejects.toMatchObject({
      code: 503,
      errorNum: 1478,
    });
    const answer = await req(s, 'POST', '/_sim/faults', { failover: { id: 'DBServer0001' } });
    expect(answer.body.failedOver).toEqual([servers[0]]);
    expect(await db.collection('replicated').document(keys[0] as string)).toMatchObject({ _key: keys[0] });
    expect((await req(s, 'POST', '/_sim/faults', { failover: { id: 'DBServer0002' } })).status).toBe(400);
    await req(s, 'DELETE', '/_sim/faults');
    expect((await req(s, 'GET', `/_api/document/single/${keys[0]}`)).status).toBe(200);
  });
});
