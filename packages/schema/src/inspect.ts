/** Reads a live server into the normalised model the differ compares against. */
import type { ArangoConnection } from '@arangops/core';
import { type ArangoHttp, arangoHttp, ERRORS, type Json } from './arango-http.js';
import { SYSTEM_INDEX_TYPES } from './index-types.js';
import { isPlainObject, listOf } from './json.js';
import {
  normaliseAnalyzer,
  normaliseGraph,
  normaliseIndex,
  normaliseLiveCollection,
  normaliseLiveView,
} from './normalise.js';
import type {
  AccessLevel,
  LiveDatabase,
  LiveIndex,
  LiveState,
  LiveUser,
  Profile,
  ServerRole,
} from './types.js';

/** Inspects the databases and users the profile declares (nothing else is read). */
export async function inspectDatabase(connection: ArangoConnection, profile: Profile): Promise<LiveState> {
  const http = arangoHttp(connection);
  const [roleBody, versionBody] = await Promise.all([
    http.get('_system', '/_admin/server/role'),
    http.get('_system', '/_api/version'),
  ]);
  const role: ServerRole = roleBody.role === 'COORDINATOR' ? 'COORDINATOR' : 'SINGLE';
  const databases: LiveState['databases'] = {};
  for (const name of Object.keys(profile.databases).sort()) {
    databases[name] = await inspectOneDatabase(http, name, role);
  }
  const users: LiveState['users'] = {};
  for (const name of Object.keys(profile.users).sort()) users[name] = await inspectUser(http, name);
  return { role, version: String(versionBody.version ?? 'unknown'), databases, users };
}

async function inspectOneDatabase(
  http: ArangoHttp,
  db: string,
  role: ServerRole,
): Promise<LiveDatabase | undefined> {
  const current = await http.getOptional(db, '/_api/database/current', [ERRORS.databaseNotFound]);
  if (!current) return undefined;
  const [collectionList, viewList, analyzerList, graphList] = await Promise.all([
    http.get(db, '/_api/collection', { excludeSystem: 'true' }),
    http.get(db, '/_api/view'),
    http.get(db, '/_api/analyzer'),
    http.get(db, '/_api/gharial'),
  ]);

  const collections: LiveDatabase['collections'] = {};
  const names = listOf(collectionList.result)
    .filter((c) => c.isSystem !== true && !String(c.name).startsWith('_'))
    .map((c) => String(c.name))
    .sort();
  await Promise.all(
    names.map(async (name) => {
      const [props, indexes] = await Promise.all([
        http.getOptional(db, `/_api/collection/${encodeURIComponent(name)}/properties`, [
          ERRORS.dataSourceNotFound,
        ]),
        http.getOptional(db, '/_api/index', [ERRORS.dataSourceNotFound], { collection: name }),
      ]);
      // Dropped between listing and reading: it is gone.
      if (!props || !indexes) return;
      collections[name] = {
        properties: normaliseLiveCollection(props, role),
        indexes: liveIndexes(listOf(indexes.indexes), db),
      };
    }),
  );

  const views: LiveDatabase['views'] = {};
  for (const v of listOf(viewList.result)) {
    const name = String(v.name);
    const props = await http.getOptional(db, `/_api/view/${encodeURIComponent(name)}/properties`, [
      ERRORS.dataSourceNotFound,
    ]);
    if (props) views[name] = normaliseLiveView(props, db);
  }

  const analyzers: LiveDatabase['analyzers'] = {};
  const prefix = `${db}::`;
  for (const a of listOf(analyzerList.result)) {
    const name = String(a.name);
    if (name.startsWith(prefix)) analyzers[name.slice(prefix.length)] = normaliseAnalyzer(a);
  }

  const graphs: LiveDatabase['graphs'] = {};
  for (const g of listOf(graphList.graphs)) {
    graphs[String(g.name ?? g._key)] = normaliseGraph(g);
  }
  return { collections: sortRecord(collections), views, analyzers, graphs };
}

/** `database` strips its `<db>::` prefix from custom analyzer names (inverted indexes in a cluster). */
export function liveIndexes(raw: Json[], database?: string): LiveIndex[] {
  return raw
    .filter((i) => !SYSTEM_INDEX_TYPES.has(String(i.type)))
    .map((i) => {
      const { canonical } = normaliseIndex(i, database);
      return { id: String(i.id), name: String(i.name), reportedType: String(i.type), canonical };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function inspectUser(http: ArangoHttp, user: string): Promise<LiveUser | undefined> {
  const path = `/_api/user/${encodeURIComponent(user)}`;
  const body = await http.getOptional('_system', path, [ERRORS.userNotFound]);
  if (!body) return undefined;
  const access = await http.get('_system', `${path}/database`, { full: 'true' });
  const grants: LiveUser['grants'] = {};
  const result = isPlainObject(access.result) ? access.result : {};
  for (const [db, entry] of Object.entries(result)) {
    const level = isPlainObject(entry) ? asLevel(entry.permission) : asLevel(entry);
    const collections: Record<string, AccessLevel> = {};
    if (isPlainObject(entry) && isPlainObject(entry.collections)) {
      for (const [coll, l] of Object.entries(entry.collections)) {
        // `*` is reported like any collection: the level set for it, or "undefined" when none is.
        const cl = asLevel(l);
        if (cl) collections[coll] = cl;
      }
    }
    grants[db] = level ? { database: level, collections } : { collections };
  }
  return {
    active: body.active !== false,
    extra: isPlainObject(body.extra) ? body.extra : {},
    grants,
  };
}

/** `"undefined"` means "not set explicitly". */
function asLevel(v: unknown): AccessLevel | undefined {
  return v === 'rw' || v === 'ro' || v === 'none' ? v : undefined;
}

function sortRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
