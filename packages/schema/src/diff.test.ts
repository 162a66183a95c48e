import { describe, expect, it } from 'vitest';
import * as shapes from './__tests__/live-shapes.js';
import { diffSchema } from './diff.js';
import { liveIndexes } from './inspect.js';
import { profileSchema } from './model.js';
import { normaliseLiveCollection } from './normalise.js';
import type { LiveCollection, LiveState } from './types.js';

const profile = profileSchema.parse({
  version: 1,
  databases: {
    shop: {
      collections: {
        products: {
          waitForSync: true,
          indexes: [
            { name: 'idx_products_a_b', type: 'persistent', fields: ['a', 'b'] },
            { name: 'idx_sessions_ttl', type: 'ttl', fields: ['createdAt'], expireAfter: 3600 },
          ],
        },
        links: { type: 'edge', indexes: [] },
      },
      graphs: { g: { edgeDefinitions: [{ collection: 'links', from: ['products'], to: ['products'] }] } },
    },
  },
  users: { reader: { password: { env: 'READER_PW' }, grants: { shop: 'ro' } } },
});

function collection(props: Record<string, unknown>, indexes: Record<string, unknown>[]): LiveCollection {
  return {
    properties: normaliseLiveCollection(props, 'SINGLE'),
    indexes: liveIndexes([shapes.PRIMARY_INDEX, ...indexes]),
  };
}

/** A live state in sync with `profile`, built from recorded 3.12 shapes. */
function syncedState(): LiveState {
  return {
    role: 'SINGLE',
    version: '3.12.10',
    databases: {
      shop: {
        collections: {
          products: collection(shapes.COLLECTION_PROPERTIES_312, [
            { ...shapes.PERSISTENT_312, name: 'idx_products_a_b' },
            { ...shapes.TTL_312, name: 'idx_sessions_ttl' },
          ]),
          links: collection(
            { ...shapes.COLLECTION_PROPERTIES_312, name: 'links', type: 3, waitForSync: false },
            [],
          ),
        },
        analyzers: {},
        views: {},
        graphs: {
          g: {
            edgeDefinitions: [{ collection: 'links', from: ['products'], to: ['products'] }],
            orphanCollections: [],
          },
        },
      },
    },
    users: { reader: { active: true, extra: {}, grants: { shop: { database: 'ro', collections: {} } } } },
  };
}

describe('diffSchema', () => {
  it('reports nothing for a database that matches the profile', () => {
    expect(diffSchema(profile, syncedState())).toEqual({ items: [], deprecations: [] });
  });

  it('missing collection: additive, with its indexes', () => {
    const live = syncedState();
    delete live.databases.shop!.collections.products;
    const { items } = diffSchema(profile, live);
    expect(items.map((i) => [i.path, i.change, i.class])).toEqual([
      ['shop/collections/products', 'missing', 'additive'],
      ['shop/collections/products/indexes/idx_products_a_b', 'missing', 'additive'],
      ['shop/collections/products/indexes/idx_sessions_ttl', 'missing', 'additive'],
    ]);
  });

  it('missing index: additive', () => {
    const live = syncedState();
    live.databases.shop!.collections.products!.indexes = liveIndexes([
      { ...shapes.TTL_312, name: 'idx_sessions_ttl' },
    ]);
    expect(diffSchema(profile, live).items).toEqual([
      expect.objectContaining({
        path: 'shop/collections/products/indexes/idx_products_a_b',
        change: 'missing',
        class: 'additive',
        kind: 'index',
      }),
    ]);
  });

  it('index with changed options: recreate, with declared and live values', () => {
    const live = syncedState();
    live.databases.shop!.collections.products!.indexes = liveIndexes([
      { ...shapes.PERSISTENT_312, name: 'idx_products_a_b', sparse: true },
      { ...shapes.TTL_312, name: 'idx_sessions_ttl', expireAfter: 60 },
    ]);
    const { items } = diffSchema(profile, live);
    expect(items).toEqual([
      expect.objectContaining({
        path: 'shop/collections/products/indexes/idx_products_a_b',
        change: 'changed',
        class: 'recreate',
        fields: ['sparse'],
        declared: { sparse: false },
        live: { sparse: true },
        liveId: 'products/74043',
      }),
      expect.objectContaining({
        path: 'shop/collections/products/indexes/idx_sessions_ttl',
        class: 'recreate',
        declared: { expireAfter: 3600 },
        live: { expireAfter: 60 },
      }),
    ]);
  });

  it('undeclared index: unexpected (never planned for dropping)', () => {
    const live = syncedState();
    live.databases.shop!.collections.products!.indexes.push(...liveIndexes([shapes.SPARSE_PERSISTENT_312]));
    expect(diffSchema(profile, live).items).toEqual([
      expect.objectContaining({
        path: 'shop/collections/products/indexes/idx_1872607108535418880',
        change: 'unexpected',
        class: 'recreate',
      }),
    ]);
  });

  it('changed waitForSync: mutable', () => {
    const live = syncedState();
    live.databases.shop!.collections.products!.properties.waitForSync = false;
    expect(diffSchema(profile, live).items).toEqual([
      expect.objectContaining({
        path: 'shop/collections/products',
        change: 'changed',
        class: 'mutable',
        fields: ['waitForSync'],
        declared: { waitForSync: true },
        live: { waitForSync: false },
      }),
    ]);
  });

  it('collection of the wrong type: destructive', () => {
    const live = syncedState();
    live.databases.shop!.collections.links!.properties.type = 'document';
    expect(diffSchema(profile, live).items).toEqual([
      expect.objectContaining({ path: 'shop/collections/links', class: 'destructive', fields: ['type'] }),
    ]);
  });

  it('an equal index under another name (legacy hash): recreate plus a deprecation', () => {
    const live = syncedState();
    live.databases.shop!.collections.products!.indexes = liveIndexes([
      { ...shapes.PERSISTENT_312, type: 'hash', name: 'idx_1872607108529127424' },
      { ...shapes.TTL_312, name: 'idx_sessions_ttl' },
    ]);
    const { items, deprecations } = diffSchema(profile, live);
    expect(items).toEqual([
      expect.objectContaining({
        path: 'shop/collections/products/indexes/idx_products_a_b',
        change: 'changed',
        class: 'recreate',
        fields: ['name'],
        live: { name: 'idx_1872607108529127424' },
      }),
    ]);
    expect(deprecations).toEqual([
      {
        path: 'shop/collections/products/indexes/idx_1872607108529127424',
        type: 'hash',
        message:
          'index idx_1872607108529127424 on products has legacy type "hash" (an alias of "persistent", removed in ArangoDB 4.0); recreate it as persistent',
      },
    ]);
  });

  it('cluster-only properties are compared on a coordinator only', () => {
    const clustered = profileSchema.parse({
      version: 1,
      databases: {
        shop: { collections: { products: { waitForSync: true, numberOfShards: 3, indexes: [] } } },
      },
    });
    const live = syncedState();
    live.databases.shop!.collections.products!.indexes = [];
    delete live.databases.shop!.collections.links;
    live.databases.shop!.graphs = {};
    live.users = {};
    expect(diffSchema(clustered, live).items).toEqual([]);
    live.role = 'COORDINATOR';
    live.databases.shop!.collections.products!.properties = normaliseLiveCollection(
      shapes.COLLECTION_PROPERTIES_CLUSTER_312,
      'COORDINATOR',
    );
    expect(diffSchema(clustered, live).items).toEqual([
      expect.objectContaining({
        path: 'shop/collections/products',
        class: 'destructive',
        fields: ['numberOfShards'],
      }),
    ]);
  });

  it('users and grants: missing user, wrong level, undeclared access', () => {
    const live = syncedState();
    live.users.reader = {
      active: true,
      extra: {},
      grants: { shop: { database: 'rw', collections: {} }, _system: { database: 'rw', collections: {} } },
    };
    expect(
      diffSchema(profile, live).items.map((i) => [i.path, i.change, i.class, i.live, i.message]),
    ).toEqual([
      [
        'users/reader/grants/_system',
        'unexpected',
        'mutable',
        { database: 'rw' },
        'user reader has rw on database _system, which the profile does not grant',
      ],
      [
        'users/reader/grants/shop',
        'changed',
        'mutable',
        { database: 'rw' },
        'grant shop differs in database',
      ],
    ]);
    live.users = {};
    expect(diffSchema(profile, live).items.map((i) => [i.path, i.change])).toEqual([
      ['users/reader', 'missing'],
      ['users/reader/grants/shop', 'missing'],
    ]);
  });

  it('a missing database lists everything below it, sorted by path', () => {
    const live = syncedState();
    live.databases = {};
    const paths = diffSchema(profile, live).items.map((i) => i.path);
    expect(paths).toEqual([
      'shop',
      'shop/collections/links',
      'shop/collections/products',
      'shop/collections/products/indexes/idx_products_a_b',
      'shop/collections/products/indexes/idx_sessions_ttl',
      'shop/graphs/g',
    ]);
  });
});
