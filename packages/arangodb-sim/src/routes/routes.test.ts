import { afterEach, describe, expect, it } from 'vitest';
import { signJwt } from '../http/jwt.js';
import { startSimulator } from '../server.js';
import type { Simulator } from '../types.js';

const started: Simulator[] = [];
async function sim(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const s = await startSimulator(options);
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function req(
  s: Simulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(s.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

describe('HTTP behaviour beyond the recorded examples', () => {
  it('expires idle cursors after their ttl (injectable clock) and defaults batchSize to 1000', async () => {
    const clock = { t: 1_700_000_000_000 };
    const s = await sim({ clock: () => clock.t });
    const first = await req(s, 'POST', '/_api/cursor', { query: 'FOR i IN 1..2500 RETURN i', ttl: 10 });
    expect(first.body?.result).toHaveLength(1000);
    expect(first.body).toMatchObject({ hasMore: true, nextBatchId: '2' });
    clock.t += 9_000;
    expect((await req(s, 'PUT', `/_api/cursor/${first.body?.id}`)).status).toBe(200);
    clock.t += 10_001;
    const gone = await req(s, 'PUT', `/_api/cursor/${first.body?.id}`);
    expect(gone).toMatchObject({ status: 404, body: { errorNum: 1600 } });
  });

  it('answers writes 201 with waitForSync and 202 without, and counts batch errors in x-arango-error-codes', async () => {
    const s = await sim();
    await req(s, 'POST', '/_api/collection', { name: 'c' });
    expect((await req(s, 'POST', '/_api/document/c', { _key: 'a' })).status).toBe(202);
    expect((await req(s, 'POST', '/_api/document/c?waitForSync=true', { _key: 'b' })).status).toBe(201);
    const batch = await req(s, 'POST', '/_api/document/c', [{ _key: 'a' }, { _key: 'c' }, { _key: 'a' }]);
    expect(batch.status).toBe(202);
    expect(JSON.parse(batch.headers.get('x-arango-error-codes') ?? '{}')).toEqual({ '1210': 2 });
    const doc = await req(s, 'GET', '/_api/document/c/a');
    const etag = doc.headers.get('etag') ?? '';
    expect(etag).toBe(`"${doc.body?._rev}"`);
    const notModified = await fetch(`${s.url}/_api/document/c/a`, { headers: { 'If-None-Match': etag } });
    expect(notModified.status).toBe(304);
    const conflict = await req(s, 'PUT', '/_api/document/c/a', { x: 1 }, { 'If-Match': '"other"' });
    expect(conflict).toMatchObject({ status: 412, body: { errorNum: 1200, _rev: doc.body?._rev } });
  });

  it('reports cluster properties and health as a coordinator', async () => {
    const s = await sim({ mode: 'cluster', version: '3.12.10' });
    expect((await req(s, 'GET', '/_admin/server/role')).body).toEqual({
      error: false,
      code: 200,
      role: 'COORDINATOR',
      mode: 'default',
    });
    const created = await req(s, 'POST', '/_api/collection', {
      name: 'c',
      numberOfShards: 3,
      replicationFactor: 2,
      shardKeys: ['tenant'],
    });
    expect(created.body).toMatchObject({
      numberOfShards: 3,
      replicationFactor: 2,
      writeConcern: 1,
      shardKeys: ['tenant'],
    });
    expect(created.body?.keyOptions).not.toHaveProperty('lastValue');
    const follower = await req(s, 'POST', '/_api/collection', {
      name: 'f',
      distributeShardsLike: 'c',
      numberOfShards: 9,
    });
    expect(follower.body).toMatchObject({
      numberOfShards: 3,
      replicationFactor: 2,
      distributeShardsLike: 'c',
    });
    const orphan = await req(s, 'POST', '/_api/collection', { name: 'g', distributeShardsLike: 'nope' });
    expect(orphan.body).toMatchObject({ errorNum: 1486 });
    const tooMany = await req(s, 'POST', '/_api/collection', { name: 'd', replicationFactor: 4 });
    expect(tooMany.body).toMatchObject({ errorNum: 1487 });
    const health = (await req(s, 'GET', '/_admin/cluster/health')).body as {
      Health: Record<string, Record<string, unknown>>;
    };
    const members = Object.values(health.Health);
    expect(members.map((m) => m.Role).sort()).toEqual([
      'Agent',
      'Agent',
      'Agent',
      'Coordinator',
      'Coordinator',
      'Coordinator',
      'DBServer',
      'DBServer',
      'DBServer',
    ]);
    const agents = members.filter((m) => m.Role === 'Agent');
    expect(agents.filter((a) => a.Leading === true)).toHaveLength(1);
    expect(typeof agents[0]?.LastAckedTime).toBe('number');
    const dbs = members.find((m) => m.Role === 'DBServer');
    expect(dbs).toMatchObject({
      Status: 'GOOD',
      SyncStatus: 'SERVING',
      ShortName: 'DBServer0001',
      CanBeDeleted: false,
    });
    expect(typeof dbs?.LastAckedTime).toBe('string');
  });

  it('refuses cluster health on a single server', async () => {
    const s = await sim();
    expect((await req(s, 'GET', '/_admin/cluster/health')).body).toMatchObject({ code: 403, errorNum: 11 });
  });

  it('accepts superuser JWTs signed with the configured secret, honouring allowed_paths', async () => {
    const s = await sim({ auth: { users: { root: 'pw' }, jwtSecret: 'sekrit' } });
    const token = signJwt(
      { iss: 'arangodb', server_id: 'exporter', allowed_paths: ['/_api/version'] },
      'sekrit',
    );
    const auth = { authorization: `bearer ${token}` };
    expect((await req(s, 'GET', '/_api/version', undefined, auth)).status).toBe(200);
    expect((await req(s, 'GET', '/_api/collection', undefined, auth)).status).toBe(401);
    const forged = signJwt({ iss: 'arangodb', server_id: 'x' }, 'wrong');
    expect(
      (await req(s, 'GET', '/_api/version', undefined, { authorization: `bearer ${forged}` })).body,
    ).toEqual({
      code: 401,
      error: true,
      errorMessage: 'not authorized to execute this request',
      errorNum: 11,
    });
    const userToken = signJwt({ iss: 'arangodb', preferred_username: 'root' }, 'sekrit');
    expect(
      (await req(s, 'GET', '/_api/collection', undefined, { authorization: `bearer ${userToken}` })).status,
    ).toBe(200);
  });

  it('validates database names and reports missing databases', async () => {
    const s = await sim();
    expect((await req(s, 'POST', '/_api/database', { name: 'a/b' })).body).toMatchObject({
      code: 400,
      errorNum: 1208,
    });
    expect((await req(s, 'DELETE', '/_api/database/none')).body).toMatchObject({ code: 404, errorNum: 1228 });
    expect((await req(s, 'GET', '/_db/none/_api/collection')).body).toMatchObject({
      code: 404,
      errorNum: 1228,
    });
    expect((await req(s, 'POST', '/_api/collection', { name: '_graphs' })).body).toMatchObject({
      errorNum: 1208,
    });
    await req(s, 'POST', '/_api/collection', { name: 'x' });
    expect((await req(s, 'POST', '/_api/collection', { name: 'x' })).body).toMatchObject({
      code: 409,
      errorNum: 1207,
    });
  });

  it('sends the real boilerplate headers', async () => {
    const s = await sim();
    const res = await fetch(`${s.url}/_api/version`);
    expect(res.headers.get('server')).toBe('ArangoDB');
    expect(res.headers.get('x-arango-queue-time-seconds')).toBe('0.000000');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await req(s, 'GET', '/_api/nothing')).body).toMatchObject({ code: 404, errorNum: 404 });
  });

  it('computes computedValues on write through the AQL engine', async () => {
    const s = await sim();
    await req(s, 'POST', '/_api/collection', {
      name: 'people',
      computedValues: [
        {
          name: 'full',
          expression: "RETURN CONCAT(@doc.first, ' ', @doc.last)",
          computeOn: ['insert', 'update'],
          overwrite: true,
        },
        // Without @doc: binding an undeclared parameter would be error 1552.
        { name: 'kind', expression: "RETURN 'person'", computeOn: ['insert'], overwrite: true },
      ],
    });
    await req(s, 'POST', '/_api/document/people', { _key: 'p', first: 'Ada', last: 'Lovelace' });
    expect((await req(s, 'GET', '/_api/document/people/p')).body).toMatchObject({
      full: 'Ada Lovelace',
      kind: 'person',
    });
    await req(s, 'PATCH', '/_api/document/people/p', { last: 'King' });
    expect((await req(s, 'GET', '/_api/document/people/p')).body).toMatchObject({ full: 'Ada King' });
  });

  it('lets a collection grant override the database level', async () => {
    const s = await sim({ auth: { users: { root: 'pw', ann: 'a' } } });
    const root = { authorization: `Basic ${Buffer.from('root:pw').toString('base64')}` };
    const ann = { authorization: `Basic ${Buffer.from('ann:a').toString('base64')}` };
    await req(s, 'POST', '/_api/collection', { name: 'open' }, root);
    await req(s, 'POST', '/_api/collection', { name: 'closed' }, root);
    await req(s, 'PUT', '/_api/user/ann/database/_system', { grant: 'ro' }, root);
    await req(s, 'PUT', '/_api/user/ann/database/_system/open', { grant: 'rw' }, root);
    await req(s, 'PUT', '/_api/user/ann/database/_system/closed', { grant: 'none' }, root);
    expect((await req(s, 'POST', '/_api/document/open', {}, ann)).status).toBe(202);
    expect((await req(s, 'GET', '/_api/collection/closed/count', undefined, ann)).body).toMatchObject({
      code: 403,
      errorNum: 11,
    });
    expect((await req(s, 'POST', '/_api/collection', { name: 'mine' }, ann)).body).toMatchObject({
      code: 403,
    });
  });

  it('expires TTL documents from the background sweep', async () => {
    const clock = { t: Date.parse('2026-05-01T00:00:00Z') };
    const s = await sim({ clock: () => clock.t, ttlIntervalMs: 10 });
    await req(s, 'POST', '/_api/collection', { name: 'sessions' });
    await req(s, 'POST', '/_api/index?collection=sessions', {
      type: 'ttl',
      fields: ['expires'],
      expireAfter: 60,
    });
    await req(s, 'POST', '/_api/document/sessions', [
      { _key: 'a', expires: '2026-05-01T00:00:00Z' },
      { _key: 'b', expires: clock.t / 1000 + 3600 },
    ]);
    clock.t += 61_000;
    // The sweep runs on its own timer; poll the count rather than timing it.
    for (let i = 0; i < 200 && s.state.count('_system', 'sessions') !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(s.state.count('_system', 'sessions')).toBe(1);
    expect((await req(s, 'GET', '/_api/document/sessions/b')).status).toBe(200);
  });

  it('imports with onDuplicate update/replace/ignore and rolls back complete=true imports', async () => {
    const s = await sim();
    await req(s, 'POST', '/_api/collection', { name: 'c' });
    await req(s, 'POST', '/_api/document/c', { _key: 'a', x: 1, keep: true });
    const lines = (docs: unknown[]) => docs.map((d) => JSON.stringify(d)).join('\n');
    const post = async (q: string, docs: unknown[]) =>
      (
        await fetch(`${s.url}/_api/import?collection=c&type=documents&${q}`, {
          method: 'POST',
          body: lines(docs),
        })
      ).json();
    expect(await post('onDuplicate=update', [{ _key: 'a', x: 2 }, { _key: 'b' }])).toMatchObject({
      created: 1,
      updated: 1,
    });
    expect((await req(s, 'GET', '/_api/document/c/a')).body).toMatchObject({ x: 2, keep: true });
    expect(await post('onDuplicate=replace', [{ _key: 'a', y: 1 }])).toMatchObject({ updated: 1 });
    expect((await req(s, 'GET', '/_api/document/c/a')).body).not.toHaveProperty('keep');
    expect(await post('onDuplicate=ignore', [{ _key: 'a' }, { _key: 'c' }])).toMatchObject({
      created: 1,
      ignored: 1,
    });
    expect(await post('complete=true', [{ _key: 'd' }, { _key: 'a' }])).toMatchObject({ errorNum: 1210 });
    expect(s.state.count('_system', 'c')).toBe(3);
  });
});
