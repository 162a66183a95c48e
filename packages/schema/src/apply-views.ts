/**
 * View updates. PUT on a view's properties replaces the whole definition (its
 * links included: the recorded `RestViewPutPropertiesArangoSearch` answer
 * lists only the links sent), so bootstrap PATCHes only what differs and
 * never touches a link or search-alias entry the profile does not declare.
 */
import { type ArangoHttp, ERRORS, type Json } from './arango-http.js';
import { MUTABLE_VIEW_FIELDS } from './diff.js';
import { isPlainObject, subsetEqual } from './json.js';
import { normaliseLiveView, normaliseView } from './normalise.js';
import type { Profile, ViewSpec } from './types.js';

/** Keys of a view description that are identity, not definition. */
const NOT_DEFINITION = new Set(['id', 'globallyUniqueId', 'name', 'type', 'error', 'code']);

export async function updateView(
  http: ArangoHttp,
  profile: Profile,
  database: string,
  name: string,
): Promise<void> {
  const spec = profile.databases[database]!.views[name]!;
  const path = `/_api/view/${encodeURIComponent(name)}/properties`;
  const live = normaliseLiveView(await http.get(database, path), database);
  const body = patchOf(spec, live);
  if (Object.keys(body).length > 0) await http.request(database, 'PATCH', path, body);
}

/** What must be sent to bring `live` to the declaration: differing mutable properties and links only. */
function patchOf(spec: ViewSpec, live: Json): Json {
  const declared = normaliseView(spec);
  if (spec.type === 'search-alias') {
    const key = (e: { collection: unknown; index: unknown }) => `${String(e.collection)}/${String(e.index)}`;
    const have = new Set(((live.indexes ?? []) as { collection: unknown; index: unknown }[]).map(key));
    const add = spec.indexes.filter((e) => !have.has(key(e)));
    return add.length > 0 ? { indexes: add } : {};
  }
  const body: Json = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'links' || !MUTABLE_VIEW_FIELDS.has(k)) continue;
    if (!subsetEqual(declared[k], live[k])) body[k] = v;
  }
  const declaredLinks = (declared.links ?? {}) as Json;
  const liveLinks = isPlainObject(live.links) ? live.links : {};
  const links: Json = {};
  for (const [coll, link] of Object.entries(spec.links ?? {})) {
    if (!subsetEqual(declaredLinks[coll], liveLinks[coll])) links[coll] = link;
  }
  if (Object.keys(links).length > 0) body.links = links;
  return body;
}

/** Drop and create with the declaration; if the create is refused, the old view comes back. */
export async function replaceView(
  http: ArangoHttp,
  profile: Profile,
  database: string,
  name: string,
): Promise<void> {
  const spec = profile.databases[database]!.views[name]!;
  const seg = encodeURIComponent(name);
  const current = await http.getOptional(database, `/_api/view/${seg}/properties`, [
    ERRORS.dataSourceNotFound,
  ]);
  await http.request(database, 'DELETE', `/_api/view/${seg}`);
  try {
    await http.request(database, 'POST', '/_api/view', { name, ...spec });
  } catch (e) {
    if (current) {
      const old = Object.fromEntries(Object.entries(current).filter(([k]) => !NOT_DEFINITION.has(k)));
      await http.request(database, 'POST', '/_api/view', { name, type: current.type, ...old });
    }
    throw e;
  }
}
