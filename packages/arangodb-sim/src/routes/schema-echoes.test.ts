/**
 * Index, view and permission echoes in the server's own form (issue 17, item 11), held to the
 * recorded 3.11.14 / 3.12.10 answers (test/data/arangodb-http-examples.json) value by value, not
 * only by shape: the schema engine's drift tests rely on the simulator not echoing requests.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../server.js';
import type { Simulator } from '../types.js';

interface Recording {
  id: string;
  path: string;
  query: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseBody: Record<string, unknown>;
}
const RECORDINGS = JSON.parse(
  readFileSync(new URL('../../../../test/data/arangodb-http-examples.json', import.meta.url), 'utf8'),
) as Recording[];
const recording = (id: string) => RECORDINGS.find((r) => r.id === id)!;

const started: Simulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function sim(version: '3.11.14' | '3.12.10'): Promise<Simulator> {
  const s = await startSimulator({ version, auth: false });
  started.push(s);
  return s;
}

async function call(s: Simulator, method: string, path: string, body?: unknown) {
  const res = await fetch(s.url + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Everything but what differs per run (ids, generated names, tick-based ids). */
function stable(body: Record<string, unknown>): Record<string, unknown> {
  const { id: _i, name: _n, globallyUniqueId: _g, ...rest } = body;
  return rest;
}

describe.each(['3.11.14', '3.12.10'] as const)('schema echoes on %s', (version) => {
  const line = version.slice(0, 4);

  it('an inverted index is stored as the server prints it', async () => {
    const s = await sim(version);
    await call(s, 'POST', '/_api/collection', { name: 'products' });
    const rec = recording(`${line}/RestIndexCreateNewInverted`);
    const res = await call(s, 'POST', '/_api/index?collection=products', rec.requestBody);
    expect(res.status).toBe(rec.status);
    expect(stable(res.body)).toEqual(stable(rec.responseBody));
  });

  it('inverted index features in the server order, primarySort with asc, inherited field options left out', async () => {
    const s = await sim(version);
    await call(s, 'POST', '/_api/collection', { name: 'docs' });
    const res = await call(s, 'POST', '/_api/index?collection=docs', {
      type: 'inverted',
      features: ['norm', 'frequency'],
      primarySort: { fields: [{ field: 'a', direction: 'desc' }] },
      fields: [
        { name: 'a', analyzer: 'identity', includeAllFields: false },
        { name: 'b', features: ['norm', 'position', 'frequency'] },
      ],
    });
    expect(res.body.features).toEqual(['frequency', 'norm']);
    expect(res.body.primarySort).toEqual({ fields: [{ field: 'a', asc: false }], compression: 'lz4' });
    expect(res.body.fields).toEqual([
      { name: 'a' },
      { features: ['frequency', 'position', 'norm'], name: 'b' },
    ]);
  });

  it('a two-field geo index prints geoJson false', async () => {
    const s = await sim(version);
    await call(s, 'POST', '/_api/collection', { name: 'products' });
    const rec = recording(`${line}/RestIndexCreateGeoLatitudeLongitude`);
    const res = await call(s, 'POST', '/_api/index?collection=products', {
      ...(rec.requestBody as object),
      geoJson: true,
    });
    expect(stable(res.body)).toEqual(stable(rec.responseBody));
  });

  it('a multi-dimensional index needs fieldValueTypes', async () => {
    const s = await sim(version);
    await call(s, 'POST', '/_api/collection', { name: 'intervals' });
    const rec = recording(line === '3.12' ? '3.12/RestIndexCreateNewMdi' : '3.11/RestIndexCreateNewZkd');
    const { fieldValueTypes: _f, ...without } = rec.requestBody as Record<string, unknown>;
    const refused = await call(s, 'POST', '/_api/index?collection=intervals', without);
    expect([refused.status, refused.body.errorNum]).toEqual([400, 10]);
    const res = await call(s, 'POST', '/_api/index?collection=intervals', rec.requestBody);
    expect(stable(res.body)).toEqual(stable(rec.responseBody));
  });

  it('PUT on a view replaces its links; PATCH keeps the ones not sent; nested options it inherits are left out', async () => {
    const s = await sim(version);
    for (const name of ['products', 'users']) await call(s, 'POST', '/_api/collection', { name });
    await call(s, 'POST', '/_api/view', {
      name: 'productsView',
      type: 'arangosearch',
      links: { users: { includeAllFields: true } },
    });
    const put = recording(`${line}/RestViewPutPropertiesArangoSearch`);
    const replaced = await call(s, 'PUT', '/_api/view/productsView/properties', put.requestBody);
    expect(stable(replaced.body)).toEqual(stable(put.responseBody));

    await call(s, 'PATCH', '/_api/view/productsView/properties', {
      links: {
        users: {
          includeAllFields: true,
          fields: { title: { analyzers: ['identity'], includeAllFields: true } },
        },
      },
    });
    const props = await call(s, 'GET', '/_api/view/productsView/properties');
    expect(Object.keys(props.body.links as object).sort()).toEqual(['products', 'users']);
    expect((props.body.links as Record<string, { fields: unknown }>).users!.fields).toEqual({ title: {} });
  });

  it('an analyzer used only by an inverted index is in use: deleting it needs force', async () => {
    const s = await sim(version);
    await call(s, 'POST', '/_api/collection', { name: 'docs' });
    await call(s, 'POST', '/_api/analyzer', { name: 'words', type: 'identity' });
    await call(s, 'POST', '/_api/index?collection=docs', {
      type: 'inverted',
      fields: [{ name: 'b', analyzer: 'words' }],
    });
    const refused = await call(s, 'DELETE', '/_api/analyzer/words');
    expect([refused.status, refused.body.errorNum]).toEqual([409, 1200]);
    expect((await call(s, 'DELETE', '/_api/analyzer/words?force=true')).status).toBe(200);
  });

  it('?full=true reports "*" as "undefined" until a level is set for it', async () => {
    const s = await sim(version);
    await call(s, 'POST', '/_api/user', { user: 'anotherAdmin@secapp', passwd: 'x' });
    await call(s, 'PUT', '/_api/user/anotherAdmin@secapp/database/_system', { grant: 'rw' });
    const before = await call(s, 'GET', '/_api/user/anotherAdmin@secapp/database?full=true');
    const recorded = recording(`${line}/RestFetchUserDatabaseListFull`).responseBody.result as Record<
      string,
      { permission: string; collections?: Record<string, string> }
    >;
    const result = before.body.result as typeof recorded;
    expect(result._system!.permission).toBe(recorded._system!.permission);
    expect(result._system!.collections!['*']).toBe(recorded._system!.collections!['*']);
    expect(result['*']).toEqual(recorded['*']);
    await call(s, 'PUT', '/_api/user/anotherAdmin@secapp/database/_system/*', { grant: 'ro' });
    const after = await call(s, 'GET', '/_api/user/anotherAdmin@secapp/database?full=true');
    expect((after.body.result as typeof recorded)._system!.collections!['*']).toBe('ro');
  });
});
