import { describe, expect, it } from 'vitest';
import * as shapes from './__tests__/live-shapes.js';
import { deepEqual, subsetEqual } from './json.js';
import {
  normaliseCollection,
  normaliseGraph,
  normaliseIndex,
  normaliseLiveCollection,
  normaliseLiveView,
  normaliseView,
} from './normalise.js';
import type { IndexSpec } from './types.js';

describe('normaliseIndex: a declaration equals what 3.11 and 3.12 report for it', () => {
  const cases: Array<{ label: string; declared: IndexSpec; live: Record<string, unknown> }> = [
    {
      label: 'persistent 3.12',
      declared: { type: 'persistent', name: 'idx_1872607108529127424', fields: ['a', 'b'] },
      live: shapes.PERSISTENT_312,
    },
    {
      label: 'persistent 3.11',
      declared: { type: 'persistent', name: 'idx_1832936199172390912', fields: ['a', 'b'] },
      live: shapes.PERSISTENT_311,
    },
    {
      label: 'sparse persistent 3.12',
      declared: { type: 'persistent', name: 'idx_1872607108535418880', fields: ['a'], sparse: true },
      live: shapes.SPARSE_PERSISTENT_312,
    },
    {
      label: 'ttl 3.12',
      declared: { type: 'ttl', name: 'idx_1872607108560584704', fields: ['createdAt'], expireAfter: 3600 },
      live: shapes.TTL_312,
    },
    {
      label: 'ttl cluster (selectivityEstimate, inBackground echo)',
      declared: { type: 'ttl', name: 'idx_ttl', fields: ['createdAt'], expireAfter: 3600 },
      live: shapes.TTL_CLUSTER,
    },
    {
      label: 'geo 3.11',
      declared: { type: 'geo', name: 'idx_1832936199084310528', fields: ['b'] },
      live: shapes.GEO_311,
    },
    {
      label: 'fulltext 3.12',
      declared: { type: 'fulltext', name: 'idx_1872607108401201152', fields: ['text'] },
      live: shapes.FULLTEXT_312,
    },
    {
      label: 'mdi 3.12',
      declared: { type: 'mdi', name: 'idx_1872607108492427264', fields: ['from', 'to'] },
      live: shapes.MDI_312,
    },
    {
      label: 'zkd 3.11 vs mdi',
      declared: {
        type: 'mdi',
        name: 'idx_1832936199150370816',
        fields: ['from', 'to'],
        fieldValueTypes: 'double',
      },
      live: shapes.ZKD_311,
    },
    {
      label: 'mdi-prefixed 3.12',
      declared: {
        type: 'mdi-prefixed',
        name: 'idx_1872607108500815872',
        fields: ['from', 'to'],
        prefixFields: ['year', 'month'],
      },
      live: shapes.MDI_PREFIXED_312,
    },
  ];
  it.each(cases)('$label', ({ declared, live }) => {
    expect(normaliseIndex(live).canonical).toEqual(normaliseIndex(declared).canonical);
  });

  it('drops ids, estimates, creation echoes and geo cover levels', () => {
    const c = normaliseIndex(shapes.GEO_311).canonical;
    for (const key of [
      'id',
      'selectivityEstimate',
      'isNewlyCreated',
      'bestIndexedLevel',
      'worstIndexedLevel',
      'maxNumCoverCells',
      'code',
    ]) {
      expect(c).not.toHaveProperty(key);
    }
  });

  it('maps legacy types and says which spelling was used', () => {
    expect(normaliseIndex(shapes.LEGACY_HASH_312)).toEqual({
      legacyType: 'hash',
      canonical: expect.objectContaining({
        type: 'persistent',
        unique: true,
        sparse: true,
        fields: ['user'],
      }),
    });
    expect(normaliseIndex(shapes.ZKD_311).legacyType).toBe('zkd');
    expect(normaliseIndex(shapes.PERSISTENT_312).legacyType).toBeUndefined();
  });

  it('forces estimates on for unique persistent indexes, as the server does', () => {
    const declared = normaliseIndex({
      type: 'persistent',
      name: 'u',
      fields: ['x'],
      unique: true,
      estimates: false,
    });
    expect(declared.canonical.estimates).toBe(true);
  });

  it('sees a real difference: sparse, fields order, expireAfter', () => {
    const base = normaliseIndex({ type: 'persistent', name: 'i', fields: ['a', 'b'] }).canonical;
    expect(
      deepEqual(base, normaliseIndex({ type: 'persistent', name: 'i', fields: ['b', 'a'] }).canonical),
    ).toBe(false);
    expect(
      deepEqual(
        base,
        normaliseIndex({ type: 'persistent', name: 'i', fields: ['a', 'b'], sparse: true }).canonical,
      ),
    ).toBe(false);
    const ttl = normaliseIndex(shapes.TTL_312).canonical;
    expect(deepEqual(ttl, { ...ttl, expireAfter: 60 })).toBe(false);
  });

  it('inverted: declared keys match 3.11 and 3.12 despite different consolidation defaults', () => {
    const declared = normaliseIndex({
      type: 'inverted',
      name: 'inv',
      fields: ['a', { name: 'b', analyzer: 'text_en' }],
    }).canonical;
    for (const live of [shapes.INVERTED_311, shapes.INVERTED_312]) {
      const l = normaliseIndex({ ...live, name: 'inv' }).canonical;
      expect(subsetEqual(declared, l)).toBe(true);
      expect(l).not.toHaveProperty('version');
    }
    const other = normaliseIndex({
      type: 'inverted',
      name: 'inv',
      fields: ['a', { name: 'b', analyzer: 'text_de' }],
    }).canonical;
    expect(subsetEqual(other, normaliseIndex({ ...shapes.INVERTED_312, name: 'inv' }).canonical)).toBe(false);
  });
});

describe('normaliseLiveCollection', () => {
  const declared = normaliseCollection({ waitForSync: true, indexes: [] });

  it.each([
    ['3.11 single', shapes.COLLECTION_PROPERTIES_311],
    ['3.12 single', shapes.COLLECTION_PROPERTIES_312],
  ])('%s equals a declaration with waitForSync only', (_label, raw) => {
    expect(normaliseLiveCollection(raw, 'SINGLE')).toEqual(declared);
  });

  it('keeps cluster properties only on a coordinator', () => {
    const onCoordinator = normaliseLiveCollection(shapes.COLLECTION_PROPERTIES_CLUSTER_312, 'COORDINATOR');
    expect(onCoordinator).toMatchObject({
      numberOfShards: 1,
      replicationFactor: 3,
      shardKeys: ['_key'],
      writeConcern: 1,
    });
    expect(onCoordinator).not.toHaveProperty('minReplicationFactor');
    expect(normaliseLiveCollection(shapes.COLLECTION_PROPERTIES_CLUSTER_312, 'SINGLE')).toEqual(declared);
  });

  it('treats {} and null schemas alike, and defaults computed values', () => {
    expect(
      normaliseLiveCollection({ ...shapes.COLLECTION_PROPERTIES_312, schema: {} }, 'SINGLE').schema,
    ).toBeNull();
    const live = normaliseLiveCollection(
      {
        ...shapes.COLLECTION_PROPERTIES_312,
        computedValues: [
          {
            name: 'x',
            expression: 'RETURN 1',
            overwrite: true,
            computeOn: ['update', 'insert', 'replace'],
            keepNull: true,
            failOnWarning: false,
          },
        ],
      },
      'SINGLE',
    );
    const spec = normaliseCollection({
      waitForSync: true,
      computedValues: [{ name: 'x', expression: 'RETURN 1', overwrite: true }],
      indexes: [],
    });
    expect(live.computedValues).toEqual(spec.computedValues);
  });

  it('drops keyOptions.lastValue and keeps increment only for autoincrement', () => {
    const live = normaliseLiveCollection(
      {
        ...shapes.COLLECTION_PROPERTIES_312,
        keyOptions: { type: 'autoincrement', allowUserKeys: false, increment: 5, offset: 0, lastValue: 99 },
      },
      'SINGLE',
    );
    expect(live.keyOptions).toEqual({ type: 'autoincrement', allowUserKeys: false, increment: 5, offset: 0 });
  });
});

describe('graphs and views', () => {
  it('ignores _id, _rev, _key and list order in graphs', () => {
    expect(normaliseGraph(shapes.GRAPH_312)).toEqual(
      normaliseGraph({ edgeDefinitions: [{ collection: 'edges', from: ['startNodes'], to: ['endNodes'] }] }),
    );
    expect(
      normaliseGraph({
        edgeDefinitions: [{ collection: 'e', from: ['b', 'a'], to: ['c'] }],
        orphanCollections: ['z', 'y'],
      }),
    ).toEqual({
      edgeDefinitions: [{ collection: 'e', from: ['a', 'b'], to: ['c'] }],
      orphanCollections: ['y', 'z'],
    });
  });

  it('a declared arangosearch link matches the 3.12 view with its defaults', () => {
    const declared = normaliseView({
      type: 'arangosearch',
      links: { books: { fields: { title: { analyzers: ['text_en'] } } } },
    });
    const live = normaliseLiveView(shapes.ARANGOSEARCH_VIEW_312, '_system');
    expect(subsetEqual(declared, live)).toBe(true);
    expect(live).not.toHaveProperty('id');
    expect(live).not.toHaveProperty('globallyUniqueId');
  });

  it('strips the database prefix of custom analyzers in links', () => {
    const raw = {
      ...shapes.ARANGOSEARCH_VIEW_312,
      links: { books: { analyzers: ['shop::custom', 'identity'] } },
    };
    const live = normaliseLiveView(raw, 'shop');
    expect((live.links as Record<string, { analyzers: string[] }>).books?.analyzers).toEqual([
      'custom',
      'identity',
    ]);
  });
});
