/**
 * Analyzers cannot change in place. Deleting one with `force` while views or
 * inverted indexes use it leaves them on the old definition without a word,
 * so bootstrap refuses while it is in use and names the users.
 */
import { type ArangoHttp, ERRORS } from './arango-http.js';
import { isPlainObject, listOf } from './json.js';
import type { Profile } from './types.js';

/** Bootstrap's own refusal, reported like the server's (errorNum as the server would answer). */
export class RefusalError extends Error {
  constructor(
    readonly errorNum: number,
    message: string,
  ) {
    super(message);
  }
}

export async function replaceAnalyzer(
  http: ArangoHttp,
  profile: Profile,
  database: string,
  name: string,
): Promise<void> {
  const declared = profile.databases[database]!.analyzers[name]!;
  await refuseAnalyzerInUse(http, database, name);
  const path = `/_api/analyzer/${encodeURIComponent(name)}`;
  const old = await http.getOptional(database, path, [ERRORS.documentNotFound]);
  await http.request(database, 'DELETE', path);
  try {
    await http.request(database, 'POST', '/_api/analyzer', {
      name,
      type: declared.type,
      properties: declared.properties ?? {},
      features: declared.features ?? [],
    });
  } catch (e) {
    if (old) {
      await http.request(database, 'POST', '/_api/analyzer', {
        name,
        type: old.type,
        properties: old.properties ?? {},
        features: old.features ?? [],
      });
    }
    throw e;
  }
}

export async function refuseAnalyzerInUse(http: ArangoHttp, database: string, name: string): Promise<void> {
  const users = await analyzerUsers(http, database, name);
  if (users.length === 0) return;
  throw new RefusalError(
    ERRORS.conflict,
    `analyzer ${name} is in use by ${users.join(', ')}; change or drop those first (bootstrap never deletes an analyzer in use)`,
  );
}

/** Views (by link) and inverted indexes that name the analyzer, bare or as `<db>::<name>`. */
async function analyzerUsers(http: ArangoHttp, database: string, name: string): Promise<string[]> {
  const names = new Set([name, `${database}::${name}`]);
  const users: string[] = [];
  const views = listOf((await http.get(database, '/_api/view')).result);
  for (const v of views) {
    if (v.type !== 'arangosearch') continue;
    const props = await http.getOptional(
      database,
      `/_api/view/${encodeURIComponent(String(v.name))}/properties`,
      [ERRORS.dataSourceNotFound],
    );
    const links = isPlainObject(props?.links) ? props.links : {};
    for (const [coll, link] of Object.entries(links)) {
      if (linkUses(link, names)) users.push(`view ${String(v.name)} (link ${coll})`);
    }
  }
  const collections = listOf(
    (await http.get(database, '/_api/collection', { excludeSystem: 'true' })).result,
  );
  for (const c of collections) {
    const indexes = await http.getOptional(database, '/_api/index', [ERRORS.dataSourceNotFound], {
      collection: String(c.name),
    });
    for (const i of listOf(indexes?.indexes)) {
      if (i.type === 'inverted' && fieldUses(i, names))
        users.push(`inverted index ${String(c.name)}/${String(i.name)}`);
    }
  }
  return users;
}

function linkUses(node: unknown, names: ReadonlySet<string>): boolean {
  if (!isPlainObject(node)) return false;
  if (Array.isArray(node.analyzers) && node.analyzers.some((a) => names.has(String(a)))) return true;
  return Object.values(isPlainObject(node.fields) ? node.fields : {}).some((f) => linkUses(f, names));
}

function fieldUses(node: unknown, names: ReadonlySet<string>): boolean {
  if (!isPlainObject(node)) return false;
  if (typeof node.analyzer === 'string' && names.has(node.analyzer)) return true;
  const children = [
    ...(Array.isArray(node.fields) ? node.fields : []),
    ...(Array.isArray(node.nested) ? node.nested : []),
  ];
  return children.some((f) => fieldUses(f, names));
}
