/**
 * Issue 17, items 1 and 6-10, against the bodies real ArangoDB 3.11.14 / 3.12.10 servers sent
 * (test/data/arangodb-http-examples.json): a fake server answers inspect's calls with them, so
 * the normaliser is held to the server's echo, not to the simulator's. Where no recording holds
 * a shape the issue names (primarySort with `asc`, a `<db>::` prefix, a wildcard level that is
 * set), the recorded body is changed in that one place and the test says so.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arangoConfigSchema, createArangoConnection } from '@arangops/core';
import { diffSchema, indexBody, inspectDatabase, parseProfile } from '@arangops/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Recording {
  id: string;
  requestBody: unknown;
  responseBody: Record<string, unknown>;
}
const RECORDINGS = JSON.parse(
  readFileSync(new URL('./data/arangodb-http-examples.json', import.meta.url), 'utf8'),
) as Recording[];

function recorded(id: string): Record<string, unknown> {
  const found = RECORDINGS.find((r) => r.id === id);
  if (!found) throw new Error(`no recording ${id}`);
  return structuredClone(found.responseBody);
}
function requestOf(id: string): unknown {
  return RECORDINGS.find((r) => r.id === id)?.requestBody;
}
function envelopeless(body: Record<string, unknown>): Record<string, unknown> {
  const { code: _c, error: _e, isNewlyCreated: _n, ...rest } = body;
  return rest;
}

/** What the fake server holds: one database `shop` and one user, in recorded shapes. */
interface Holding {
  version: string;
  indexes: Record<string, Record<string, unknown>[]>;
  views: Record<string, Record<string, unknown>>;
  userAccess?: Record<string, unknown>;
}

let holding: Holding;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://x');
    const path = pathname.replace(/^\/_db\/[^/]+/, '');
    const body = answer(path, searchParams);
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        body ?? {
          error: true,
          code: 404,
          errorNum: 1203,
          errorMessage: `not recorded: ${req.method} ${path}`,
        },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function answer(path: string, query: URLSearchParams): Record<string, unknown> | undefined {
  const ok = (b: Record<string, unknown>) => ({ error: false, code: 200, ...b });
  // The recorded collection was made with waitForSync; the profiles here leave it at its default.
  const collection = (name: string) => ({
    ...recorded(`${holding.version.slice(0, 4)}/RestCollectionGetCollectionName`),
    name,
    waitForSync: false,
  });
  if (path === '/_admin/server/role') return ok({ role: 'SINGLE', mode: 'default' });
  if (path === '/_api/version')
    return ok({ server: 'arango', license: 'enterprise', version: holding.version });
  if (path === '/_api/database/current') return ok({ result: { name: 'shop', id: '1', isSystem: false } });
  if (path === '/_api/collection')
    return ok({ result: Object.keys(holding.indexes).map((name) => ({ name, isSystem: false, type: 2 })) });
  if (path === '/_api/view')
    return ok({
      result: Object.entries(holding.views).map(([name, v]) => ({ name, type: v.type, id: v.id })),
    });
  if (path === '/_api/analyzer') return ok({ result: [] });
  if (path === '/_api/gharial') return ok({ graphs: [] });
  let m = /^\/_api\/collection\/([^/]+)\/properties$/.exec(path);
  if (m && holding.indexes[m[1]!]) return ok(collection(m[1]!));
  const c = query.get('collection');
  if (path === '/_api/index' && c && holding.indexes[c]) {
    return ok({ indexes: [PRIMARY(c), ...holding.indexes[c]!] });
  }
  m = /^\/_api\/view\/([^/]+)\/properties$/.exec(path);
  if (m && holding.views[m[1]!]) return holding.views[m[1]!];
  m = /^\/_api\/user\/([^/]+)$/.exec(path);
  if (m && holding.userAccess) return ok({ user: decodeURIComponent(m[1]!), active: true, extra: {} });
  if (/^\/_api\/user\/[^/]+\/database$/.test(path) && holding.userAccess) return holding.userAccess;
  return undefined;
}

const PRIMARY = (c: string) => ({
  fields: ['_key'],
  id: `${c}/0`,
  name: 'primary',
  selectivityEstimate: 1,
  sparse: false,
  type: 'primary',
  unique: true,
});

async function driftOf(profileYaml: string): Promise<string[]> {
  const connection = createArangoConnection(
    arangoConfigSchema.parse({ url: [url], username: 'root', password: '', retries: { max: 0 } }),
  );
  try {
    const profile = parseProfile(profileYaml, 'recorded.yaml');
    const live = await inspectDatabase(connection, profile);
    return diffSchema(profile, live).items.map(
      (i) => `${i.change} ${i.path}${i.fields ? ` ${i.fields}` : ''}`,
    );
  } finally {
    connection.close();
  }
}

/** A recorded index description, named as a profile would name it. */
function index(id: string, name: string, change: (i: Record<string, unknown>) => void = () => {}) {
  const body = envelopeless(recorded(id));
  body.name = name;
  change(body);
  return body;
}

describe.each(['3.11', '3.12'])('recorded %s bodies', (line) => {
  const version = line === '3.12' ? '3.12.10' : '3.11.14';
  const inverted = `${line}/RestIndexCreateNewInverted`;

  it('item 6: inverted index features, inherited field options and primarySort asc do not drift', async () => {
    // The recorded request was fields ["a", {name: "b", analyzer: "text_en"}]; the echo drops
    // what `a` inherits and lists features in the server's order.
    expect(requestOf(inverted)).toEqual({
      type: 'inverted',
      fields: ['a', { name: 'b', analyzer: 'text_en' }],
    });
    holding = {
      version,
      views: {},
      // No recording sorts an inverted index; the shape the server answers is `{field, asc}`.
      indexes: {
        products: [
          index(inverted, 'inv', (i) => {
            (i.primarySort as { fields: unknown[] }).fields = [{ field: 'a', asc: false }];
          }),
        ],
      },
    };
    expect(
      await driftOf(`version: 1
databases:
  shop:
    collections:
      products:
        indexes:
          - name: inv
            type: inverted
            features: [norm, frequency]
            primarySort: { fields: [{ field: a, direction: desc }] }
            fields:
              - { name: a, analyzer: identity, features: [norm, frequency], includeAllFields: false }
              - { name: b, analyzer: text_en, features: [norm, position, frequency] }
`),
    ).toEqual([]);
  });

  it('item 6: a view link field repeating its link options does not drift; item 1: an undeclared link is reported', async () => {
    holding = {
      version,
      indexes: { books: [], notes: [] },
      views: { productsView: recorded(`${line}/RestViewGetViewPropertiesNameArangoSearch`) },
    };
    const profile = (links: string) => `version: 1
databases:
  shop:
    collections: { books: {}, notes: {} }
    views:
      productsView:
        type: arangosearch
        links: ${links}
`;
    expect(
      await driftOf(
        profile(
          '{ books: { fields: { title: { analyzers: [text_en], includeAllFields: false, storeValues: none } } } }',
        ),
      ),
    ).toEqual([]);
    expect(await driftOf(profile('{}'))).toEqual(['unexpected shop/views/productsView/links/books']);
  });

  it('item 7: a wildcard collection level is read as the server reports it', async () => {
    const user = 'anotherAdmin@secapp';
    const yaml = (grant: string) => `version: 1
databases: {}
users:
  "${user}":
    password: { env: PW }
    grants:
      _system: ${grant}
`;
    holding = {
      version,
      indexes: {},
      views: {},
      userAccess: recorded(`${line}/RestFetchUserDatabaseListFull`),
    };
    // "*": "undefined" is no grant at all.
    expect(await driftOf(yaml('rw'))).toEqual([]);
    expect(await driftOf(yaml('{ database: rw, collections: { "*": ro } }'))).toEqual([
      `changed users/${user}/grants/_system/* level`,
    ]);
    // The same answer with a level set for "*": explicit, so undeclared rw is least-privilege drift.
    const access = recorded(`${line}/RestFetchUserDatabaseListFull`);
    (access.result as Record<string, { collections: Record<string, string> }>)._system!.collections['*'] =
      'rw';
    holding.userAccess = access;
    expect(await driftOf(yaml('rw'))).toEqual([`unexpected users/${user}/grants/_system/*`]);
    expect(await driftOf(yaml('{ database: rw, collections: { "*": rw } }'))).toEqual([]);
  });

  it('item 8: a two-field geo index prints geoJson false; legacyPolygons is compared', async () => {
    holding = {
      version,
      views: {},
      indexes: { products: [index(`${line}/RestIndexCreateGeoLatitudeLongitude`, 'geo_ef')] },
    };
    const yaml = (extra: string) => `version: 1
databases:
  shop:
    collections:
      products:
        indexes: [{ name: geo_ef, type: geo, fields: [e, f]${extra} }]
`;
    expect(await driftOf(yaml(''))).toEqual([]);
    expect(await driftOf(yaml(', legacyPolygons: true'))).toEqual([
      'changed shop/collections/products/indexes/geo_ef legacyPolygons',
    ]);
    expect(() => parseProfile(yaml(', geoJson: true'), 'recorded.yaml')).toThrow(
      /geoJson applies to a one-field geo index only/,
    );
  });

  it('item 9: an mdi index without fieldValueTypes is sent as the recorded request and does not drift', async () => {
    const id = line === '3.12' ? '3.12/RestIndexCreateNewMdi' : '3.11/RestIndexCreateNewZkd';
    const declared = parseProfile(
      `version: 1
databases:
  shop:
    collections:
      intervals:
        indexes: [{ name: mdi_i, type: mdi, fields: [from, to] }]
`,
      'recorded.yaml',
    );
    const spec = declared.databases.shop!.collections.intervals!.indexes[0]!;
    const { name: _n, ...sent } = indexBody(spec, false, version);
    expect(sent).toEqual(requestOf(id));
    holding = { version, views: {}, indexes: { intervals: [index(id, 'mdi_i')] } };
    expect(
      await driftOf(`version: 1
databases:
  shop:
    collections:
      intervals:
        indexes: [{ name: mdi_i, type: mdi, fields: [from, to] }]
`),
    ).toEqual([]);
  });

  it('item 10: a custom analyzer echoed as <db>::<name> on an inverted index does not drift', async () => {
    holding = {
      version,
      views: {},
      // The recorded body, with the field analyzer as a coordinator may print a custom one.
      indexes: {
        products: [
          index(inverted, 'inv', (i) => {
            (i.fields as Record<string, unknown>[])[1]!.analyzer = 'shop::words';
          }),
        ],
      },
    };
    expect(
      await driftOf(`version: 1
databases:
  shop:
    collections:
      products:
        indexes: [{ name: inv, type: inverted, fields: [a, { name: b, analyzer: words }] }]
`),
    ).toEqual([]);
  });
});
