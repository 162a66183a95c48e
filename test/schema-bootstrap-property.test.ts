/**
 * Bootstrap's two promises, for random profiles and random hand-made changes (seeded, so a
 * failure names the seed that reproduces it):
 * - a bootstrap without --allow-destructive never removes anything the profile does not declare;
 * - every declared object ends either as it was before the run or as declared, even when the
 *   server refuses a step (a unique index over duplicates, a second TTL index).
 */
import { type Simulator, startSimulator } from '@arangops/arangodb-sim';
import { type ArangoConnection, arangoConfigSchema, createArangoConnection } from '@arangops/core';
import { inspectDatabase, type LiveState, type Profile, profileSchema, runBootstrap } from '@arangops/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../packages/arangodb-sim/src/seed/prng.js';

type Rand = ReturnType<typeof mulberry32>;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Rand, p: number) => r() < p;

const FIELDS = ['status', 'type', 'owner', 'createdAt'];

/** A random profile of one database: collections with persistent/TTL indexes, maybe an analyzer and a view. */
function randomProfile(r: Rand, db: string): Profile {
  const collections: Record<string, unknown> = {};
  const names = ['c0', 'c1', 'c2'].slice(0, 1 + Math.floor(r() * 3));
  for (const name of names) {
    const indexes: unknown[] = [];
    for (let i = 0; i < Math.floor(r() * 3); i++) {
      indexes.push({
        name: `idx_${name}_${i}`,
        type: 'persistent',
        fields: [FIELDS[i]!],
        unique: chance(r, 0.3),
      });
    }
    if (chance(r, 0.3))
      indexes.push({
        name: `ttl_${name}`,
        type: 'ttl',
        fields: ['expiresAt'],
        expireAfter: pick(r, [0, 60]),
      });
    collections[name] = { indexes };
  }
  const analyzers = chance(r, 0.5)
    ? { words: { type: 'norm', properties: { locale: 'en', case: pick(r, ['lower', 'upper']) } } }
    : {};
  const views = chance(r, 0.6)
    ? {
        search: {
          type: 'arangosearch',
          commitIntervalMsec: pick(r, [1000, 2000]),
          links: {
            [names[0]!]: { fields: { status: { analyzers: ['words' in analyzers ? 'words' : 'identity'] } } },
          },
        },
      }
    : {};
  return profileSchema.parse({ version: 1, databases: { [db]: { collections, analyzers, views } } });
}

/** The same profile with a few declared definitions changed. */
function changedProfile(r: Rand, profile: Profile, db: string): Profile {
  const next = structuredClone(profile);
  const spec = next.databases[db]!;
  for (const coll of Object.values(spec.collections)) {
    for (const idx of coll.indexes) {
      if (idx.type === 'persistent' && chance(r, 0.4)) idx.unique = !idx.unique;
      if (idx.type === 'ttl' && chance(r, 0.4)) idx.expireAfter = idx.expireAfter === 0 ? 30 : 0;
    }
  }
  const view = spec.views.search;
  if (view?.type === 'arangosearch' && chance(r, 0.5)) view.commitIntervalMsec = 3000;
  if (spec.analyzers.words && chance(r, 0.4))
    spec.analyzers.words.properties = { locale: 'en', case: 'none' };
  return next;
}

/** Changes made by hand: documents with duplicates, undeclared objects, declared ones altered. */
async function handChanges(r: Rand, admin: ArangoConnection, db: string, profile: Profile): Promise<void> {
  const d = admin.database(db);
  const spec = profile.databases[db]!;
  const names = Object.keys(spec.collections);
  for (const name of names) {
    // Duplicates make a later unique index refuse; some documents never clash.
    await d
      .collection(name)
      .saveAll([{ status: 'a', type: 't' }, { status: 'a', type: 't' }, { owner: 'x' }]);
  }
  const target = pick(r, names);
  if (chance(r, 0.6))
    await d.collection(target).ensureIndex({ type: 'persistent', name: 'hand_idx', fields: ['hand'] });
  if (chance(r, 0.4) && !spec.collections[target]!.indexes.some((i) => i.type === 'ttl')) {
    // A TTL index of its own: a declared TTL index on this collection is then refused (one per collection).
    await d
      .collection(target)
      .ensureIndex({ type: 'ttl', name: 'hand_ttl', fields: ['gone'], expireAfter: 5 });
  }
  if (chance(r, 0.5)) await d.createCollection('hand_coll');
  if (chance(r, 0.5)) await d.createAnalyzer('hand_analyzer', { type: 'identity' });
  if (chance(r, 0.5)) await d.createView('hand_view', { type: 'arangosearch' });
  if (spec.views.search && chance(r, 0.6) && names.length > 1) {
    await d
      .route('/_api/view/search/properties')
      .patch({ links: { [names[1]!]: { includeAllFields: true } } });
  }
  // Declared objects changed by hand.
  const declaredIndex = spec.collections[target]!.indexes[0];
  if (declaredIndex && chance(r, 0.4)) await d.collection(target).dropIndex(declaredIndex.name);
  if (spec.views.search && chance(r, 0.4)) {
    await d.route('/_api/view/search/properties').patch({ commitIntervalMsec: 5000, cleanupIntervalStep: 7 });
  }
  if (chance(r, 0.4)) await d.collection(target).properties({ waitForSync: true });
  if (chance(r, 0.4)) {
    await d.createEdgeCollection('hand_edges');
    await d.createGraph('hand_graph', [{ collection: 'hand_edges', from: [target], to: [target] }]);
  }
}

/** Every object inspection sees, by drift path, with its canonical form. */
function objects(live: LiveState, db: string): Map<string, string> {
  const out = new Map<string, string>();
  const d = live.databases[db];
  if (!d) return out;
  for (const [name, c] of Object.entries(d.collections)) {
    out.set(`${db}/collections/${name}`, JSON.stringify(c.properties));
    for (const i of c.indexes)
      out.set(`${db}/collections/${name}/indexes/${i.name}`, JSON.stringify(i.canonical));
  }
  for (const [name, v] of Object.entries(d.views)) {
    const { links, ...rest } = v as { links?: Record<string, unknown> };
    out.set(`${db}/views/${name}`, JSON.stringify(rest));
    for (const [coll, link] of Object.entries(links ?? {}))
      out.set(`${db}/views/${name}/links/${coll}`, JSON.stringify(link));
  }
  for (const [name, a] of Object.entries(d.analyzers)) out.set(`${db}/analyzers/${name}`, JSON.stringify(a));
  for (const [name, g] of Object.entries(d.graphs)) out.set(`${db}/graphs/${name}`, JSON.stringify(g));
  return out;
}

/** Drift paths of everything the profile declares (links included). */
function declaredPaths(profile: Profile, db: string): Set<string> {
  const spec = profile.databases[db]!;
  const out = new Set<string>();
  for (const [name, c] of Object.entries(spec.collections)) {
    out.add(`${db}/collections/${name}`);
    for (const i of c.indexes) out.add(`${db}/collections/${name}/indexes/${i.name}`);
  }
  for (const [name, v] of Object.entries(spec.views)) {
    out.add(`${db}/views/${name}`);
    if (v.type === 'arangosearch')
      for (const coll of Object.keys(v.links ?? {})) out.add(`${db}/views/${name}/links/${coll}`);
  }
  for (const name of Object.keys(spec.analyzers)) out.add(`${db}/analyzers/${name}`);
  for (const name of Object.keys(spec.graphs)) out.add(`${db}/graphs/${name}`);
  return out;
}

const ITERATIONS = 16;

describe.each([
  { mode: 'single', version: '3.12.10' },
  { mode: 'cluster', version: '3.11.14' },
] as const)('bootstrap properties on $mode $version', ({ mode, version }) => {
  let sim: Simulator;
  let admin: ArangoConnection;
  beforeAll(async () => {
    sim = await startSimulator({ mode, version, auth: false });
    admin = createArangoConnection(
      arangoConfigSchema.parse({
        url: sim.url.split(','),
        retries: { max: 1, baseDelayMs: 10, maxDelayMs: 20 },
      }),
    );
  });
  afterAll(async () => {
    admin.close();
    await sim.stop();
  });

  it(`${ITERATIONS} random profiles and hand-made changes: nothing undeclared is removed, nothing ends half-changed`, async () => {
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const r = mulberry32(seed * 7919 + (mode === 'cluster' ? 1 : 0));
      const db = `prop_${seed}`;
      const first = randomProfile(r, db);
      const load = (profile: Profile) => ({ dir: 'prop', file: `seed-${seed}.yaml`, profile });
      const initial = await runBootstrap({ connection: admin, profile: load(first), waitTimeoutMs: 0 });
      expect(initial.refused, `seed ${seed}`).toEqual([]);

      await handChanges(r, admin, db, first);
      const second = changedProfile(r, first, db);
      const before = objects(await inspectDatabase(admin, second), db);
      const result = await runBootstrap({
        connection: admin,
        profile: load(second),
        waitTimeoutMs: 0,
        allowRecreate: chance(r, 0.7),
      });
      const after = objects(await inspectDatabase(admin, second), db);
      const declared = declaredPaths(second, db);
      // Drift on a link is reported on its view.
      const drift = new Set(result.report.items.map((i) => i.path));
      const drifts = (path: string) => drift.has(path) || drift.has(path.replace(/\/links\/[^/]+$/, ''));

      for (const [path, was] of before) {
        if (!declared.has(path)) {
          expect(after.get(path), `seed ${seed}: ${path} is not declared and must stay as it was`).toBe(was);
        } else if (after.get(path) !== was) {
          expect(drifts(path), `seed ${seed}: ${path} changed, so it must be as declared`).toBe(false);
        }
      }
      for (const path of declared) {
        if (!before.has(path) && after.has(path))
          expect(drifts(path), `seed ${seed}: ${path} created but not as declared`).toBe(false);
      }
      // A refused step leaves its object as it was.
      for (const { action } of result.refused) {
        expect(after.get(action.path), `seed ${seed}: refused ${action.op} changed ${action.path}`).toBe(
          before.get(action.path),
        );
      }
    }
  });
});
