/**
 * The less common parts of a profile against each target: analyzers, both view
 * types, inverted/geo/fulltext/mdi indexes, computed values, key options, and
 * in-place repair of views and graphs.
 */
import { type LoadedProfile, parseProfile, runBootstrap, runDrift } from '@arangops/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTarget, type Target, targetSpecs } from '../packages/schema/src/__tests__/target.js';

const PROFILE = `version: 1
databases:
  search:
    analyzers:
      text_norm: { type: norm, properties: { locale: en, case: lower }, features: [frequency, norm] }
    collections:
      docs:
        cacheEnabled: true
        numberOfShards: 3
        replicationFactor: 2
        writeConcern: 2
        shardKeys: [_key]
        computedValues:
          - { name: title_lc, expression: "RETURN LOWER(@doc.title)", overwrite: true, computeOn: [insert] }
        keyOptions: { type: padded, allowUserKeys: false }
        indexes:
          - { name: inv_docs, type: inverted, fields: [title, { name: body, analyzer: text_norm }] }
          - { name: geo_docs, type: geo, fields: [location], geoJson: true }
          - { name: ft_docs, type: fulltext, fields: [body], minLength: 3 }
          - { name: mdi_docs, type: mdi, fields: [x, y] }
      refs: { type: edge, distributeShardsLike: docs }
    views:
      docs_view:
        type: arangosearch
        links:
          docs: { fields: { title: { analyzers: [text_norm] } } }
      docs_alias:
        type: search-alias
        indexes: [{ collection: docs, index: inv_docs }]
    graphs:
      doc_graph:
        edgeDefinitions: [{ collection: refs, from: [docs], to: [docs] }]
`;

const declared = parseProfile(PROFILE, 'search.yaml');

describe.each(targetSpecs())('search objects on $label', (spec) => {
  let target: Target;
  let profile: LoadedProfile;
  let search: string;
  beforeEach(async () => {
    target = await startTarget(spec);
    profile = target.scope({ dir: 'search', file: 'search.yaml', profile: declared });
    search = target.name('search');
  });
  afterEach(async () => {
    await target.stop();
  });

  it('bootstraps to zero drift and a second run writes nothing', async () => {
    const first = await runBootstrap({ connection: target.connection, profile, waitTimeoutMs: 10_000 });
    expect(first.report.items).toEqual([]);
    expect(first.report.deprecations).toEqual([]);
    target.resetWrites();
    const second = await runBootstrap({ connection: target.connection, profile, waitTimeoutMs: 0 });
    expect(second.plan.actions).toEqual([]);
    expect(target.writes()).toBe(0);
  });

  it('repairs view links, graph edge definitions and collection properties in place', async () => {
    await runBootstrap({ connection: target.connection, profile, waitTimeoutMs: 10_000 });
    const db = target.admin.database(search);
    await db.route('/_api/view/docs_view/properties').patch({ links: { docs: null } });
    await db.route('/_api/gharial/doc_graph/edge/refs').delete({ dropCollections: 'false' });
    await db.collection('docs').properties({ cacheEnabled: false, replicationFactor: 1 });

    // replicationFactor exists only in a cluster, so only a coordinator reports it.
    const docsFields = spec.mode === 'cluster' ? 'cacheEnabled,replicationFactor' : 'cacheEnabled';
    const drift = await runDrift({ connection: target.connection, profile });
    expect(drift.items.map((i) => `${i.change} ${i.class} ${i.path} ${i.fields}`)).toEqual([
      `changed mutable ${search}/collections/docs ${docsFields}`,
      `changed mutable ${search}/graphs/doc_graph edgeDefinitions,orphanCollections`,
      `changed mutable ${search}/views/docs_view links`,
    ]);

    const repaired = await runBootstrap({ connection: target.connection, profile, waitTimeoutMs: 0 });
    expect(repaired.applied.map((a) => a.op)).toEqual(['updateCollection', 'updateView', 'updateGraph']);
    expect(repaired.report.items).toEqual([]);
  });
});
