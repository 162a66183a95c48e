/**
 * The differ: declared profile vs normalised live state → drift items, each
 * `missing`, `unexpected` or `changed`, with a class saying how hard it is to
 * reconcile. Pure and deterministic (items sorted by path).
 */
import { worstClass } from './classes.js';
import { legacyNote } from './index-types.js';
import { deepEqual, isPlainObject, subsetEqual } from './json.js';
import {
  CLUSTER_COLLECTION_KEYS,
  normaliseAnalyzer,
  normaliseCollection,
  normaliseGrants,
  normaliseGraph,
  normaliseIndex,
  normaliseUser,
  normaliseView,
  PARTIAL_INDEX_TYPES,
} from './normalise.js';
import type {
  Canonical,
  DatabaseSpec,
  Deprecation,
  DriftClass,
  DriftItem,
  LiveDatabase,
  LiveIndex,
  LiveState,
  Profile,
} from './types.js';

export interface SchemaDiff {
  items: DriftItem[];
  deprecations: Deprecation[];
}

/** How each collection property changes; the planner applies only the `mutable` ones in place. */
export const COLLECTION_FIELD_CLASS: Readonly<Record<string, DriftClass>> = {
  type: 'destructive',
  keyOptions: 'destructive',
  numberOfShards: 'destructive',
  shardKeys: 'destructive',
  shardingStrategy: 'destructive',
  distributeShardsLike: 'destructive',
  waitForSync: 'mutable',
  cacheEnabled: 'mutable',
  schema: 'mutable',
  computedValues: 'mutable',
  replicationFactor: 'mutable',
  writeConcern: 'mutable',
};

/** View properties ArangoDB changes in place; every other one needs the view recreated. */
export const MUTABLE_VIEW_FIELDS: ReadonlySet<string> = new Set([
  'links',
  'indexes',
  'cleanupIntervalStep',
  'commitIntervalMsec',
  'consolidationIntervalMsec',
  'consolidationPolicy',
]);

export function diffSchema(profile: Profile, live: LiveState): SchemaDiff {
  const items: DriftItem[] = [];
  const deprecations: Deprecation[] = [];
  for (const [dbName, spec] of Object.entries(profile.databases)) {
    const liveDb = live.databases[dbName];
    if (!liveDb) {
      items.push(missing(dbName, 'database', {}, `database ${dbName} is missing`));
      diffDatabase(dbName, spec, emptyDatabase(), live, items, deprecations);
      continue;
    }
    diffDatabase(dbName, spec, liveDb, live, items, deprecations);
  }
  diffUsers(profile, live, items);
  items.sort((a, b) => (a.path === b.path ? a.change.localeCompare(b.change) : a.path < b.path ? -1 : 1));
  deprecations.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { items, deprecations };
}

function emptyDatabase(): LiveDatabase {
  return { collections: {}, analyzers: {}, views: {}, graphs: {} };
}

function diffDatabase(
  db: string,
  spec: DatabaseSpec,
  liveDb: LiveDatabase,
  live: LiveState,
  items: DriftItem[],
  deprecations: Deprecation[],
): void {
  for (const [name, a] of Object.entries(spec.analyzers)) {
    const path = `${db}/analyzers/${name}`;
    const declared = normaliseAnalyzer(a);
    const current = liveDb.analyzers[name];
    if (!current) items.push(missing(path, 'analyzer', declared, `analyzer ${name} is missing`));
    else pushChanged(items, path, 'analyzer', declared, current, () => 'recreate', subsetEqual);
  }
  for (const name of Object.keys(liveDb.analyzers)) {
    if (!spec.analyzers[name]) {
      items.push(unexpected(`${db}/analyzers/${name}`, 'analyzer', liveDb.analyzers[name], 'recreate'));
    }
  }

  for (const [name, coll] of Object.entries(spec.collections)) {
    const path = `${db}/collections/${name}`;
    const declared = normaliseCollection(coll);
    const current = liveDb.collections[name];
    if (!current) {
      items.push(missing(path, 'collection', declared, `collection ${name} is missing`));
      for (const idx of coll.indexes) {
        const c = normaliseIndex(idx).canonical;
        items.push(missing(`${path}/indexes/${idx.name}`, 'index', c, `index ${idx.name} is missing`));
      }
      continue;
    }
    const comparable = { ...declared };
    if (live.role !== 'COORDINATOR') for (const k of CLUSTER_COLLECTION_KEYS) delete comparable[k];
    const liveProps = { ...current.properties };
    // The server always reports a message; compare it only when the profile sets one.
    if (
      isPlainObject(comparable.schema) &&
      !('message' in comparable.schema) &&
      isPlainObject(liveProps.schema)
    ) {
      const { message: _ignored, ...rest } = liveProps.schema;
      liveProps.schema = rest;
    }
    pushChanged(
      items,
      path,
      'collection',
      comparable,
      liveProps,
      (f) => COLLECTION_FIELD_CLASS[f] ?? 'mutable',
    );
    diffIndexes(path, coll.indexes, current.indexes, items);
  }
  for (const [name, current] of Object.entries(liveDb.collections)) {
    if (spec.collections[name]) continue;
    items.push(unexpected(`${db}/collections/${name}`, 'collection', current.properties, 'destructive'));
  }
  // 3.11 has no `mdi`: there `zkd` is the current name, not a legacy one.
  const zkdIsCurrent = live.version.startsWith('3.11.');
  for (const [name, current] of Object.entries(liveDb.collections)) {
    for (const idx of current.indexes) {
      if (idx.reportedType !== idx.canonical.type && !(zkdIsCurrent && idx.reportedType === 'zkd')) {
        deprecations.push({
          path: `${db}/collections/${name}/indexes/${idx.name}`,
          type: idx.reportedType,
          message: `index ${idx.name} on ${name} has legacy type "${idx.reportedType}" (${legacyNote(idx.reportedType)}); recreate it as ${String(idx.canonical.type)}`,
        });
      }
    }
  }

  for (const [name, view] of Object.entries(spec.views)) {
    const path = `${db}/views/${name}`;
    const declared = normaliseView(view);
    const current = liveDb.views[name];
    if (!current) items.push(missing(path, 'view', declared, `view ${name} is missing`));
    else if (declared.type === 'search-alias' && current.type === 'search-alias') {
      diffAliasIndexes(path, declared, current, items);
    } else {
      pushChanged(
        items,
        path,
        'view',
        declared,
        current,
        (f) => (MUTABLE_VIEW_FIELDS.has(f) ? 'mutable' : 'recreate'),
        subsetEqual,
      );
      // Declared links are compared above; a link the profile does not declare is drift of its own.
      const declaredLinks = isPlainObject(declared.links) ? declared.links : {};
      for (const [coll, link] of Object.entries(isPlainObject(current.links) ? current.links : {})) {
        if (declaredLinks[coll] === undefined) {
          items.push(
            unexpected(
              `${path}/links/${coll}`,
              'view',
              link,
              'recreate',
              `view ${name} links ${coll}, which the profile does not declare`,
            ),
          );
        }
      }
    }
  }
  for (const name of Object.keys(liveDb.views)) {
    if (!spec.views[name])
      items.push(unexpected(`${db}/views/${name}`, 'view', liveDb.views[name], 'recreate'));
  }

  for (const [name, graph] of Object.entries(spec.graphs)) {
    const path = `${db}/graphs/${name}`;
    const declared = normaliseGraph(graph);
    const current = liveDb.graphs[name];
    if (!current) items.push(missing(path, 'graph', declared, `graph ${name} is missing`));
    else pushChanged(items, path, 'graph', declared, current, () => 'mutable');
  }
  for (const name of Object.keys(liveDb.graphs)) {
    if (!spec.graphs[name])
      items.push(unexpected(`${db}/graphs/${name}`, 'graph', liveDb.graphs[name], 'recreate'));
  }
}

/** search-alias indexes are a set: declared entries must be there, undeclared ones are reported on their own. */
function diffAliasIndexes(path: string, declared: Canonical, current: Canonical, items: DriftItem[]): void {
  type Entry = { collection: string; index: string };
  const key = (e: Entry) => `${e.collection}/${e.index}`;
  const want = (declared.indexes ?? []) as Entry[];
  const have = (current.indexes ?? []) as Entry[];
  const haveKeys = new Set(have.map(key));
  const wantKeys = new Set(want.map(key));
  if (want.some((e) => !haveKeys.has(key(e)))) {
    items.push(changed(path, 'view', { indexes: want }, { indexes: have }, ['indexes'], 'mutable'));
  }
  for (const e of have) {
    if (!wantKeys.has(key(e))) {
      items.push(
        unexpected(
          `${path}/indexes/${key(e)}`,
          'view',
          e,
          'recreate',
          `view ${path.split('/')[2]} searches ${key(e)}, which the profile does not declare`,
        ),
      );
    }
  }
}

/**
 * Matches declared indexes to live ones by name first, then by definition
 * (an equal index under another name, e.g. created by older code without a
 * name or as `hash`): ArangoDB has no rename, so that is a `recreate`.
 */
function diffIndexes(
  collPath: string,
  declaredIndexes: DatabaseSpec['collections'][string]['indexes'],
  liveIndexes: LiveIndex[],
  items: DriftItem[],
): void {
  const unmatched = new Set(liveIndexes);
  const pending: { name: string; canonical: Canonical }[] = [];
  for (const idx of declaredIndexes) {
    const canonical = normaliseIndex(idx).canonical;
    const byName = liveIndexes.find((l) => l.name === idx.name);
    if (!byName) {
      pending.push({ name: idx.name, canonical });
      continue;
    }
    unmatched.delete(byName);
    const path = `${collPath}/indexes/${idx.name}`;
    const equal = PARTIAL_INDEX_TYPES.has(String(canonical.type)) ? subsetEqual : deepEqual;
    const before = items.length;
    pushChanged(items, path, 'index', canonical, byName.canonical, () => 'recreate', equal);
    const item = items[before];
    if (item) item.liveId = byName.id;
  }
  for (const { name, canonical } of pending) {
    const path = `${collPath}/indexes/${name}`;
    const { name: _n, ...definition } = canonical;
    const twin = [...unmatched].find((l) => {
      const { name: _l, ...liveDefinition } = l.canonical;
      return PARTIAL_INDEX_TYPES.has(String(canonical.type))
        ? subsetEqual(definition, liveDefinition)
        : deepEqual(definition, liveDefinition);
    });
    if (!twin) {
      items.push(missing(path, 'index', canonical, `index ${name} is missing`));
      continue;
    }
    unmatched.delete(twin);
    items.push({
      path,
      kind: 'index',
      change: 'changed',
      class: 'recreate',
      declared: { name },
      live: { name: twin.name },
      fields: ['name'],
      liveId: twin.id,
      message: `index ${name} exists under the name ${twin.name}; ArangoDB cannot rename an index, so it must be recreated`,
    });
  }
  for (const l of unmatched) {
    items.push({
      ...unexpected(`${collPath}/indexes/${l.name}`, 'index', l.canonical, 'recreate'),
      liveId: l.id,
    });
  }
}

function diffUsers(profile: Profile, live: LiveState, items: DriftItem[]): void {
  for (const [user, spec] of Object.entries(profile.users)) {
    const path = `users/${user}`;
    const declared = normaliseUser(spec);
    const grants = normaliseGrants(spec.grants);
    const current = live.users[user];
    if (!current) {
      items.push(missing(path, 'user', declared, `user ${user} is missing`));
      for (const [db, g] of Object.entries(grants)) {
        items.push(missing(`${path}/grants/${db}`, 'grant', g, `grant of ${user} on ${db} is missing`));
      }
      continue;
    }
    pushChanged(
      items,
      path,
      'user',
      declared,
      { active: current.active, extra: current.extra },
      () => 'mutable',
    );
    for (const [db, g] of Object.entries(grants)) {
      const liveGrant = current.grants[db];
      const liveLevel = liveGrant?.database ?? 'none';
      const gPath = `${path}/grants/${db}`;
      if (liveLevel !== g.database) {
        items.push(
          changed(gPath, 'grant', { database: g.database }, { database: liveLevel }, ['database'], 'mutable'),
        );
      }
      for (const [coll, level] of Object.entries(g.collections)) {
        const liveColl = liveGrant?.collections[coll] ?? 'none';
        if (liveColl !== level) {
          items.push(
            changed(`${gPath}/${coll}`, 'grant', { level }, { level: liveColl }, ['level'], 'mutable'),
          );
        }
      }
      for (const [coll, level] of Object.entries(liveGrant?.collections ?? {})) {
        if (g.collections[coll] === undefined && level !== 'none') {
          items.push(
            unexpected(
              `${gPath}/${coll}`,
              'grant',
              { level },
              'mutable',
              `user ${user} has ${level} on ${db}/${coll}, which the profile does not grant`,
            ),
          );
        }
      }
    }
    // Least privilege: access the profile does not declare is drift.
    for (const [db, liveGrant] of Object.entries(current.grants)) {
      if (grants[db] || !liveGrant.database || liveGrant.database === 'none') continue;
      items.push(
        unexpected(
          `${path}/grants/${db}`,
          'grant',
          { database: liveGrant.database },
          'mutable',
          `user ${user} has ${liveGrant.database} on database ${db}, which the profile does not grant`,
        ),
      );
    }
  }
}

function missing(path: string, kind: DriftItem['kind'], declared: unknown, message: string): DriftItem {
  return { path, kind, change: 'missing', class: 'additive', declared, message };
}

function unexpected(
  path: string,
  kind: DriftItem['kind'],
  live: unknown,
  cls: DriftClass,
  message = `${kind} ${path.split('/').pop()} is not declared`,
): DriftItem {
  return { path, kind, change: 'unexpected', class: cls, live, message };
}

function changed(
  path: string,
  kind: DriftItem['kind'],
  declared: Canonical,
  live: Canonical,
  fields: string[],
  cls: DriftClass,
): DriftItem {
  return {
    path,
    kind,
    change: 'changed',
    class: cls,
    declared,
    live,
    fields,
    message: `${kind} ${path.split('/').pop()} differs in ${fields.join(', ')}`,
  };
}

/** Compares the keys the declaration has; one item listing every differing field. */
function pushChanged(
  items: DriftItem[],
  path: string,
  kind: DriftItem['kind'],
  declared: Canonical,
  live: Canonical,
  classOf: (field: string) => DriftClass,
  equal: (a: unknown, b: unknown) => boolean = deepEqual,
): void {
  const fields = Object.keys(declared)
    .filter((k) => !equal(declared[k], live[k]))
    .sort();
  if (fields.length === 0) return;
  const pick = (o: Canonical) => Object.fromEntries(fields.map((f) => [f, o[f] ?? null]));
  items.push(changed(path, kind, pick(declared), pick(live), fields, worstClass(fields.map(classOf))));
}
