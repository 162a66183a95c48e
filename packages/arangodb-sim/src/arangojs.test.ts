import { aql, Database } from 'arangojs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './server.js';
import type { Simulator } from './types.js';

/** The simulator as the suite uses it: through the real arangojs 10 client. */
describe('arangojs against the simulator (single, 3.12)', () => {
  let sim: Simulator;
  let system: Database;

  beforeAll(async () => {
    sim = await startSimulator({ version: '3.12.10', auth: { users: { root: 'pw' } } });
    system = new Database({ url: sim.url, auth: { username: 'root', password: 'pw' } });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('creates databases, collections and indexes', async () => {
    const db = await system.createDatabase('shop');
    expect(await system.listDatabases()).toContain('shop');
    const products = await db.createCollection('products', {
      waitForSync: true,
      keyOptions: { type: 'autoincrement', increment: 5 },
    });
    const props = await products.properties();
    expect(props.waitForSync).toBe(true);
    expect(props.keyOptions).toMatchObject({ type: 'autoincrement', increment: 5 });
    expect(props).toHaveProperty('supportsRBAC', true);

    const created = await products.ensureIndex({
      type: 'persistent',
      fields: ['sku'],
      unique: true,
      name: 'idx_sku',
    });
    expect(created.isNewlyCreated).toBe(true);
    const again = await products.ensureIndex({
      type: 'persistent',
      fields: ['sku'],
      unique: true,
      name: 'idx_sku',
    });
    expect(again.isNewlyCreated).toBe(false);
    await expect(
      products.ensureIndex({ type: 'persistent', fields: ['other'], name: 'idx_sku' }),
    ).rejects.toMatchObject({
      errorNum: 1005,
    });
    const indexes = await products.indexes();
    expect(indexes.map((i) => i.type)).toEqual(['primary', 'persistent']);

    await products.save({ sku: 'a' });
    await expect(products.save({ sku: 'a' })).rejects.toMatchObject({ errorNum: 1210, code: 409 });
    const meta = await products.save({ sku: 'b' });
    expect(Number(meta._key) % 5).toBe(0);
    await expect(system.createDatabase('shop')).rejects.toMatchObject({ errorNum: 1207, code: 409 });
    await expect(system.database('nope').collections()).rejects.toMatchObject({ errorNum: 1228, code: 404 });
  });

  it('runs queries in batches through cursors', async () => {
    const db = system.database('shop');
    const items = await db.createCollection('items');
    await items.import(Array.from({ length: 25 }, (_, i) => ({ _key: `i${i}`, n: i, even: i % 2 === 0 })));
    const cursor = await db.query(aql`FOR d IN ${items} FILTER d.even SORT d.n RETURN d.n`, {
      batchSize: 4,
      count: true,
    });
    expect(cursor.count).toBe(13);
    expect(cursor.batches.hasMore).toBe(true);
    const all = await cursor.all();
    expect(all).toEqual(Array.from({ length: 13 }, (_, i) => i * 2));
    const streamed = await db.query(aql`FOR d IN ${items} SORT d.n LIMIT 5 RETURN d._key`, {
      stream: true,
      batchSize: 2,
    });
    expect(await streamed.all()).toEqual(['i0', 'i1', 'i2', 'i3', 'i4']);
    const stats = await db.query(aql`FOR d IN ${items} COLLECT e = d.even WITH COUNT INTO n RETURN {e, n}`);
    expect(await stats.all()).toEqual([
      { e: false, n: 12 },
      { e: true, n: 13 },
    ]);
  });

  it('manages graphs, views, analyzers and users', async () => {
    const db = system.database('shop');
    const graph = db.graph('social');
    await graph.create([{ collection: 'knows', from: ['people'], to: ['people'] }]);
    const people = graph.vertexCollection('people');
    await people.save({ _key: 'ann' });
    await people.save({ _key: 'bob' });
    await graph.edgeCollection('knows').save({ _from: 'people/ann', _to: 'people/bob' });
    const friends = await db.query(aql`FOR v IN 1..1 OUTBOUND 'people/ann' GRAPH 'social' RETURN v._key`);
    expect(await friends.all()).toEqual(['bob']);

    const analyzer = db.analyzer('lower');
    await analyzer.create({ type: 'norm', properties: { locale: 'en', case: 'lower' } });
    expect((await analyzer.get()).name).toBe('shop::lower');
    const view = db.view('search');
    await view.create({ type: 'arangosearch', links: { people: { includeAllFields: true } } });
    const vprops = (await view.properties()) as { links?: Record<string, unknown> };
    expect(vprops.links).toHaveProperty('people');

    await system.createUser('reader', { passwd: 'r' });
    await system.setUserAccessLevel('reader', { database: 'shop' }, 'ro');
    expect(await system.getUserAccessLevel('reader', { database: 'shop' })).toBe('ro');
    const reader = new Database({
      url: sim.url,
      databaseName: 'shop',
      auth: { username: 'reader', password: 'r' },
    });
    expect(await reader.collection('people').count()).toMatchObject({ count: 2 });
    await expect(reader.collection('people').save({ x: 1 })).rejects.toMatchObject({
      code: 403,
      errorNum: 1004,
    });
    await expect(reader.query(aql`INSERT {x: 1} INTO people`)).rejects.toMatchObject({
      code: 403,
      errorNum: 1004,
    });
    const outsider = new Database({
      url: sim.url,
      databaseName: '_system',
      auth: { username: 'reader', password: 'r' },
    });
    await expect(outsider.collections()).rejects.toMatchObject({ code: 401 });
  });

  it('rejects bad credentials with 401 and accepts JWTs from /_open/auth', async () => {
    const bad = new Database({ url: sim.url, auth: { username: 'root', password: 'wrong' } });
    await expect(bad.version()).rejects.toMatchObject({ name: 'ArangoError', code: 401, errorNum: 11 });
    const jwtDb = new Database({ url: sim.url });
    await jwtDb.login('root', 'pw');
    expect((await jwtDb.version()).version).toBe('3.12.10');
    const wrong = new Database({ url: sim.url });
    await expect(wrong.login('root', 'nope')).rejects.toMatchObject({ code: 401 });
  });
});

describe('fault injection', () => {
  let sim: Simulator;
  let db: Database;

  beforeAll(async () => {
    sim = await startSimulator({ mode: 'cluster', version: '3.11.14' });
    db = new Database({ url: sim.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('fails the next N matching requests with the given error', async () => {
    sim.faults.failNext('/_api/version', 2, 503, 1478, 'backend unavailable');
    await expect(db.version()).rejects.toMatchObject({ code: 503, errorNum: 1478 });
    await expect(db.version()).rejects.toMatchObject({ code: 503 });
    expect((await db.version()).version).toBe('3.11.14');
  });

  it('marks a DB-Server FAILED in health and makes its metrics unavailable', async () => {
    const dbServer = sim.state.members.find((m) => m.role === 'DBServer');
    if (!dbServer) throw new Error('no DB-Server');
    sim.faults.setMemberStatus(dbServer.id, 'FAILED');
    const health = (await db.route('/_admin/cluster/health').get()).parsedBody as {
      Health: Record<string, { Status: string; Role: string }>;
    };
    expect(health.Health[dbServer.id]).toMatchObject({ Status: 'FAILED', Role: 'DBServer' });
    await expect(db.route('/_admin/metrics/v2').get({ serverId: dbServer.id })).rejects.toMatchObject({
      code: 503,
    });
    await sim.faults.reset();
    const metrics = await db.route('/_admin/metrics/v2').get({ serverId: dbServer.id });
    expect(String(metrics.parsedBody)).toContain('role="PRIMARY"');
  });

  it('adds latency per route', async () => {
    sim.faults.addLatency('^GET /_api/version', 50);
    const before = sim.state.requestLog.length;
    await db.version();
    expect(sim.faults.snapshot().latency).toEqual([{ route: '^GET /_api/version', ms: 50 }]);
    expect(sim.state.requestLog.length).toBe(before + 1);
    await sim.faults.reset();
    expect(sim.faults.snapshot().latency).toEqual([]);
  });

  it('refuses connections and reopens on the same port', async () => {
    await sim.faults.refuseConnections();
    await expect(fetch(`${sim.url}/_api/version`)).rejects.toThrow();
    await sim.faults.acceptConnections();
    const res = await fetch(`${sim.url}/_api/version`);
    expect(res.status).toBe(200);
  });

  it('drops the connection mid-response', async () => {
    sim.faults.dropConnection('/_api/collection');
    await expect(fetch(`${sim.url}/_api/collection`).then((r) => r.text())).rejects.toThrow();
    await sim.faults.reset();
    const res = await fetch(`${sim.url}/_api/collection`);
    expect(res.status).toBe(200);
  });

  it('exposes the same controls over /_sim/faults', async () => {
    const post = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ failure: { route: '/_api/engine', count: 1, status: 500, errorNum: 4 } }),
    });
    expect(post.status).toBe(200);
    expect((await fetch(`${sim.url}/_api/engine`)).status).toBe(500);
    expect((await fetch(`${sim.url}/_api/engine`)).status).toBe(200);
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    expect(sim.faults.snapshot().failures).toEqual([]);
  });
});
