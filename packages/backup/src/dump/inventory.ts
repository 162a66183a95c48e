/**
 * What a backup records besides documents, read through arangojs as arangodump reads the
 * replication inventory: server version and role, database properties, and per collection its
 * properties (`parameters`) and secondary indexes; per View its properties.
 */
import type { Database } from 'arangojs';

type Json = Record<string, unknown>;

export type Deployment = 'single' | 'cluster';

export interface ServerInfo {
  version: string;
  license?: string;
  deployment: Deployment;
}

export interface CollectionInventory {
  name: string;
  type: 'document' | 'edge';
  isSystem: boolean;
  /** The arangodump structure file: `{ parameters, indexes }`. */
  structure: { parameters: Json; indexes: Json[] };
}

export interface ViewInventory {
  name: string;
  properties: Json;
}

/**
 * System collections that hold user data a restore needs: named graph definitions and analyzers
 * (arangodump stores them like any collection with --include-system-collections).
 */
export const SYSTEM_COLLECTIONS_KEPT: readonly string[] = ['_graphs', '_analyzers'];

async function get(db: Database, pathname: string, search?: Record<string, string>): Promise<Json> {
  const body = (await db.request({ method: 'GET', pathname, ...(search ? { search } : {}) })) as Json;
  const { error: _e, code: _c, ...rest } = body;
  return rest;
}

export async function serverInfo(db: Database): Promise<ServerInfo> {
  const version = await get(db, '/_api/version');
  const role = await get(db, '/_admin/server/role');
  return {
    version: String(version.version),
    ...(typeof version.license === 'string' ? { license: version.license } : {}),
    deployment: role.role === 'COORDINATOR' ? 'cluster' : 'single',
  };
}

/** The `properties` arangodump writes into dump.json (the server-local path left out). */
export async function databaseProperties(db: Database): Promise<Json> {
  const { path: _p, ...props } = (await get(db, '/_api/database/current')).result as Json;
  return props;
}

export interface CollectionFilter {
  include?: readonly string[];
  exclude?: readonly string[];
}

/** Collections to back up: every non-system one plus {@link SYSTEM_COLLECTIONS_KEPT}, then include/exclude by name. */
export async function listCollections(db: Database, filter: CollectionFilter = {}): Promise<string[]> {
  const all = (await get(db, '/_api/collection', { excludeSystem: 'false' })).result as Json[];
  const include = filter.include?.length ? new Set(filter.include) : undefined;
  const exclude = new Set(filter.exclude ?? []);
  return all
    .filter((c) => !c.isSystem || SYSTEM_COLLECTIONS_KEPT.includes(String(c.name)))
    .map((c) => String(c.name))
    .filter((n) => (!include || include.has(n)) && !exclude.has(n))
    .sort();
}

export async function collectionInventory(db: Database, name: string): Promise<CollectionInventory> {
  const path = `/_api/collection/${encodeURIComponent(name)}/properties`;
  const parameters = await get(db, path);
  const { indexes } = await get(db, '/_api/index', { collection: name });
  return {
    name,
    type: parameters.type === 3 ? 'edge' : 'document',
    isSystem: parameters.isSystem === true,
    structure: {
      parameters,
      // arangodump leaves out the indexes every collection has.
      indexes: (indexes as Json[]).filter((i) => i.type !== 'primary' && i.type !== 'edge'),
    },
  };
}

export async function viewInventory(db: Database): Promise<ViewInventory[]> {
  const views = (await get(db, '/_api/view')).result as Json[];
  const out: ViewInventory[] = [];
  for (const v of views) {
    const name = String(v.name);
    out.push({ name, properties: await get(db, `/_api/view/${encodeURIComponent(name)}/properties`) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}
