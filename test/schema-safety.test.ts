/**
 * Bootstrap never loses what it was not asked to touch (issue 17, items 1-5), and options the
 * server echoes in another form do not drift (items 6-9), against each target.
 */
import { type LoadedProfile, parseProfile, runBootstrap, runDrift } from '@arangops/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  REAL_SERVER,
  startTarget,
  type Target,
  targetSpecs,
} from '../packages/schema/src/__tests__/target.js';

const load = (yaml: string): LoadedProfile => ({
  dir: 'safety',
  file: 'safety.yaml',
  profile: parseProfile(yaml, 'safety.yaml'),
});

describe.each(targetSpecs())('bootstrap safety on $label', (spec) => {
  let target: Target;
  let db: string;
  beforeEach(async () => {
    target = await startTarget(spec);
    db = target.name('shop');
  });
  afterEach(async () => {
    await target.stop();
  });

  const scoped = (yaml: string) => target.scope(load(yaml));
  const bootstrap = (
    profile: LoadedProfile,
    flags: { allowRecreate?: boolean; allowDestructive?: boolean } = {},
  ) => runBootstrap({ connection: target.connection, profile, waitTimeoutMs: 10_000, ...flags });
  const database = () => target.admin.database(db);
  const indexes = async (collection: string) =>
    (
      (await database().collection(collection).indexes()) as {
        name: string;
        type: string;
        unique?: boolean;
      }[]
    )
      .filter((i) => i.type !== 'primary' && i.type !== 'edge')
      .map((i) => `${i.name}:${i.type}${i.unique ? ':unique' : ''}`)
      .sort();

  const VIEW = (commit: number) => `version: 1
databases:
  shop:
    collections: { agents: {}, notes: {} }
    views:
      search:
        type: arangosearch
        commitIntervalMsec: ${commit}
        links:
          agents: { fields: { name: { analyzers: [identity] } } }
`;

  it('item 1: a plain bootstrap patches a view and keeps a link added by hand, reported as unexpected', async () => {
    await bootstrap(scoped(VIEW(1000)));
    await database()
      .route('/_api/view/search/properties')
      .patch({ links: { notes: { includeAllFields: true } } });

    const result = await bootstrap(scoped(VIEW(2000)));
    expect(result.applied.map((a) => a.op)).toEqual(['updateView']);
    const props = (await database().route('/_api/view/search/properties').get()).parsedBody;
    expect(props.commitIntervalMsec).toBe(2000);
    expect(Object.keys(props.links).sort()).toEqual(['agents', 'notes']);
    expect(result.report.items.map((i) => `${i.change} ${i.path}`)).toEqual([
      `unexpected ${db}/views/search/links/notes`,
    ]);
    expect(result.report.inSync).toBe(false);
  });

  it('item 1: a changed property is the only write, as a PATCH', async () => {
    await bootstrap(scoped(VIEW(1000)));
    target.resetWrites();
    await bootstrap(scoped(VIEW(3000)));
    expect(target.writes()).toBe(1);
    const writes = target.sim?.state.requestLog.filter((r) => r.method !== 'GET') ?? [];
    if (target.sim)
      expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
        expect.stringMatching(/^PATCH .*\/_api\/view\/search\/properties$/),
      ]);
  });

  const UNIQUE = (unique: boolean) => `version: 1
databases:
  shop:
    collections:
      agents:
        indexes:
          - { name: idx_agents_status, type: persistent, fields: [status], unique: ${unique} }
`;

  it('item 2: a unique index refused over duplicates leaves the old index in place', async () => {
    await bootstrap(scoped(UNIQUE(false)));
    await database()
      .collection('agents')
      .saveAll([{ status: 'idle' }, { status: 'idle' }]);

    const result = await bootstrap(scoped(UNIQUE(true)), { allowRecreate: true });
    expect(result.refused.map((r) => [r.action.op, r.errorNum])).toEqual([['replaceIndex', 1210]]);
    expect(await indexes('agents')).toEqual(['idx_agents_status:persistent']);
    expect(result.report.items.map((i) => `${i.change} ${i.path} ${i.fields}`)).toEqual([
      `changed ${db}/collections/agents/indexes/idx_agents_status unique`,
    ]);
  });

  it('item 2: a TTL index refused (one per collection) gets the old definition back', async () => {
    const yaml = (type: string) => `version: 1
databases:
  shop:
    collections:
      agents:
        indexes:
          - ${type}
`;
    await bootstrap(scoped(yaml('{ name: idx_a, type: persistent, fields: [expiresAt] }')));
    await database()
      .collection('agents')
      .ensureIndex({ type: 'ttl', name: 'idx_other', fields: ['t'], expireAfter: 60 });

    const result = await bootstrap(
      scoped(yaml('{ name: idx_a, type: ttl, fields: [expiresAt], expireAfter: 0 }')),
      {
        allowRecreate: true,
      },
    );
    expect(result.refused.map((r) => [r.action.op, r.errorNum])).toEqual([['replaceIndex', 10]]);
    expect(await indexes('agents')).toEqual(['idx_a:persistent', 'idx_other:ttl']);
  });

  it.runIf(spec.version.startsWith('3.11.'))(
    'item 2: mdi-prefixed on 3.11 is refused and the old index stays',
    async () => {
      const yaml = (index: string) => `version: 1
databases:
  shop:
    collections:
      intervals:
        indexes:
          - ${index}
`;
      await bootstrap(scoped(yaml('{ name: idx_i, type: persistent, fields: [from, to] }')));
      const result = await bootstrap(
        scoped(yaml('{ name: idx_i, type: mdi-prefixed, fields: [from, to], prefixFields: [year] }')),
        { allowRecreate: true },
      );
      expect(result.refused.map((r) => [r.action.op, r.errorNum])).toEqual([['replaceIndex', 10]]);
      expect(await indexes('intervals')).toEqual(['idx_i:persistent']);
    },
  );

  it('item 2: a definition the server accepts replaces the old index under the declared name', async () => {
    await bootstrap(scoped(UNIQUE(false)));
    const result = await bootstrap(scoped(UNIQUE(true)), { allowRecreate: true });
    expect(result.refused).toEqual([]);
    expect(await indexes('agents')).toEqual(['idx_agents_status:persistent:unique']);
    expect(result.report.items).toEqual([]);
  });

  it.runIf(spec.mode === 'cluster')(
    'item 3: a replicationFactor the server will not change is reported and the run continues',
    async () => {
      const yaml = (rf: number, index: string) => `version: 1
databases:
  shop:
    collections:
      docs: { replicationFactor: 2 }
      refs: { type: edge, distributeShardsLike: docs, replicationFactor: ${rf} }
      later: { ${index} }
`;
      await bootstrap(scoped(yaml(2, '')));
      const result = await bootstrap(
        scoped(yaml(3, 'indexes: [{ name: idx_later, type: persistent, fields: [x] }]')),
      );
      expect(result.refused.map((r) => [r.action.op, r.errorNum])).toEqual([['updateCollection', 11]]);
      expect(result.refused[0]?.message).toContain('please change docs');
      expect(result.applied.map((a) => a.op)).toEqual(['createIndex']);
      expect(await indexes('later')).toEqual(['idx_later:persistent']);
    },
  );

  const ANALYZER = (stemming: boolean) => `version: 1
databases:
  shop:
    analyzers:
      words: { type: text, properties: { locale: en, stemming: ${stemming} }, features: [frequency, norm, position] }
    collections:
      docs:
        indexes:
          - { name: inv_docs, type: inverted, fields: [{ name: body, analyzer: words }] }
    views:
      docs_view:
        type: arangosearch
        links: { docs: { analyzers: [words] } }
`;

  it('item 4: an analyzer in use is never deleted; the refusal names its views and indexes', async () => {
    await bootstrap(scoped(ANALYZER(false)));
    const result = await bootstrap(scoped(ANALYZER(true)), { allowRecreate: true });
    expect(result.refused.map((r) => [r.action.op, r.errorNum])).toEqual([['replaceAnalyzer', 1200]]);
    expect(result.refused[0]?.message).toContain('view docs_view (link docs)');
    expect(result.refused[0]?.message).toContain('inverted index docs/inv_docs');
    const live = (await database().analyzer('words').get()) as { properties: { stemming: boolean } };
    expect(live.properties.stemming).toBe(false);
  });

  it.runIf(!REAL_SERVER)(
    'a view or analyzer whose replacement is refused comes back with its old definition and links',
    async () => {
      const yaml = (compression: string, stemming: boolean) => `version: 1
databases:
  shop:
    analyzers:
      words: { type: text, properties: { locale: en, stemming: ${stemming} } }
    collections: { docs: {} }
    views:
      v: { type: arangosearch, primarySortCompression: ${compression}, links: { docs: { includeAllFields: true } } }
`;
      await bootstrap(scoped(yaml('lz4', false)));
      // The server refuses the new definitions once (a fault of the simulator).
      target.sim!.faults.failNext('^POST /_api/view$', 1, 400, 10, 'refused view');
      target.sim!.faults.failNext('^POST /_api/analyzer$', 1, 400, 10, 'refused analyzer');
      const result = await bootstrap(scoped(yaml('none', true)), { allowRecreate: true });
      expect(result.refused.map((r) => `${r.action.op} ${r.errorNum}`).sort()).toEqual([
        'replaceAnalyzer 10',
        'replaceView 10',
      ]);
      const props = (await database().route('/_api/view/v/properties').get()).parsedBody;
      expect(props.primarySortCompression).toBe('lz4');
      expect(props.links.docs.includeAllFields).toBe(true);
      const words = (await database().analyzer('words').get()) as { properties: { stemming: boolean } };
      expect(words.properties.stemming).toBe(false);
    },
  );

  it('search-alias entries: a plain bootstrap adds the declared ones and keeps others; --allow-destructive removes them', async () => {
    const yaml = `version: 1
databases:
  shop:
    collections:
      docs:
        indexes:
          - { name: inv_a, type: inverted, fields: [a] }
          - { name: inv_b, type: inverted, fields: [b] }
    views:
      alias: { type: search-alias, indexes: [{ collection: docs, index: inv_a }] }
`;
    const profile = scoped(yaml);
    await bootstrap(profile);
    await database()
      .route('/_api/view/alias/properties')
      .put({ indexes: [{ collection: 'docs', index: 'inv_b' }] });

    const plain = await bootstrap(profile);
    expect(plain.applied.map((a) => a.op)).toEqual(['updateView']);
    expect(plain.report.items.map((i) => `${i.change} ${i.path}`)).toEqual([
      `unexpected ${db}/views/alias/indexes/docs/inv_b`,
    ]);
    const destructive = await bootstrap(profile, { allowDestructive: true });
    expect(destructive.applied.map((a) => a.op)).toEqual(['dropViewLink']);
    expect(destructive.report.items).toEqual([]);
  });

  it('item 5: --allow-destructive drops undeclared indexes, views, links, analyzers and graphs, never collections', async () => {
    const base = `version: 1
databases:
  shop:
    collections:
      agents: {}
      edges: { type: edge }
    views:
      search: { type: arangosearch, links: { agents: {} } }
`;
    const profile = scoped(base);
    await bootstrap(profile);
    const d = database();
    await d.collection('agents').ensureIndex({ type: 'persistent', name: 'idx_hand', fields: ['x'] });
    await d.createCollection('scratch');
    await d.createAnalyzer('hand', { type: 'identity' });
    await d.createView('hand_view', { type: 'arangosearch' });
    await d.route('/_api/view/search/properties').patch({ links: { scratch: {} } });
    await d.createGraph('hand_graph', [{ collection: 'edges', from: ['agents'], to: ['agents'] }]);

    const plain = await bootstrap(profile);
    expect(plain.applied).toEqual([]);
    expect(plain.report.items.map((i) => i.path).sort()).toEqual(
      [
        `${db}/analyzers/hand`,
        `${db}/collections/agents/indexes/idx_hand`,
        `${db}/collections/scratch`,
        `${db}/graphs/hand_graph`,
        `${db}/views/hand_view`,
        `${db}/views/search/links/scratch`,
      ].sort(),
    );

    const destructive = await bootstrap(profile, { allowDestructive: true });
    expect(destructive.refused).toEqual([]);
    expect(destructive.report.items.map((i) => i.path)).toEqual([`${db}/collections/scratch`]);
    expect(await d.collection('scratch').exists()).toBe(true);
    expect(await d.collection('edges').exists()).toBe(true);
  });

  it('item 6: inverted index features, primarySort direction and inherited field options do not drift', async () => {
    const yaml = `version: 1
databases:
  shop:
    collections:
      docs:
        indexes:
          - name: inv_docs
            type: inverted
            features: [norm, frequency]
            primarySort: { fields: [{ field: createdAt, direction: desc }] }
            fields: [{ name: title, analyzer: identity, includeAllFields: false }, { name: body, features: [norm, position, frequency] }]
`;
    const profile = scoped(yaml);
    const first = await bootstrap(profile);
    expect(first.report.items).toEqual([]);
    target.resetWrites();
    const again = await bootstrap(profile, { allowRecreate: true });
    expect(again.plan.actions).toEqual([]);
    expect(target.writes()).toBe(0);
  });

  it('item 6: view link fields repeating the inherited options do not drift', async () => {
    const yaml = `version: 1
databases:
  shop:
    collections: { docs: {} }
    views:
      v:
        type: arangosearch
        links:
          docs: { includeAllFields: true, fields: { title: { analyzers: [text_en] }, body: { includeAllFields: true } } }
`;
    const first = await bootstrap(scoped(yaml));
    expect(first.report.items).toEqual([]);
  });

  it('item 7: a declared wildcard collection grant converges; an undeclared one is reported', async () => {
    const yaml = (grants: string) => `version: 1
databases:
  shop:
    collections: { docs: {} }
users:
  reader:
    password: { env: READER_PW }
    grants:
      shop: ${grants}
`;
    const env = { READER_PW: 'pw' };
    const declared = scoped(yaml('{ database: ro, collections: { "*": ro } }'));
    const first = await runBootstrap({
      connection: target.connection,
      profile: declared,
      env,
      waitTimeoutMs: 10_000,
    });
    expect(first.report.items).toEqual([]);

    const reader = target.name('reader');
    await target.admin
      .database('_system')
      .route(`/_api/user/${reader}/database/${db}/*`)
      .put({ grant: 'rw' });
    const plain = scoped(yaml('ro'));
    const drift = await runDrift({ connection: target.connection, profile: plain });
    expect(drift.items.map((i) => `${i.change} ${i.path} ${JSON.stringify(i.live)}`)).toEqual([
      `unexpected users/${reader}/grants/${db}/* {"level":"rw"}`,
    ]);
  });

  it('item 8: legacyPolygons is compared', async () => {
    const yaml = (legacy: boolean) => `version: 1
databases:
  shop:
    collections:
      places:
        indexes: [{ name: geo_places, type: geo, fields: [lat, lon], legacyPolygons: ${legacy} }]
`;
    await bootstrap(scoped(yaml(false)));
    const drift = await runDrift({ connection: target.connection, profile: scoped(yaml(true)) });
    expect(drift.items.map((i) => `${i.path} ${i.fields}`)).toEqual([
      `${db}/collections/places/indexes/geo_places legacyPolygons`,
    ]);
  });

  it.runIf(spec.version.startsWith('3.12.'))(
    'item 9: an mdi index declared without fieldValueTypes is created',
    async () => {
      const yaml = `version: 1
databases:
  shop:
    collections:
      intervals:
        indexes: [{ name: mdi_i, type: mdi, fields: [from, to] }]
`;
      const result = await bootstrap(scoped(yaml));
      expect(result.refused).toEqual([]);
      expect(result.report.items).toEqual([]);
    },
  );
});
