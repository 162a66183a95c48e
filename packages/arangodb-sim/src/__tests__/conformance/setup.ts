import { call, must } from './client.js';
import { apiPath, type Example, type Family } from './examples.js';

/** Per-group replay state: the simulator root and recorded→actual identifier substitutions. */
export class Env {
  readonly subst = new Map<string, string>();

  constructor(readonly root: string) {}

  prefix(db: string): string {
    return db === '_system' ? '' : `/_db/${encodeURIComponent(db)}`;
  }

  async ensureDb(db: string): Promise<void> {
    if (db === '_system') return;
    const a = await call(this.root, 'POST', '/_api/database', { name: db });
    if (a.status !== 201 && a.status !== 409) throw new Error(`create db ${db}: ${a.text}`);
  }

  async ensureCollection(
    db: string,
    name: string,
    props: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const existing = await call(this.root, 'GET', `${this.prefix(db)}/_api/collection/${name}/properties`);
    if (existing.status === 200) return existing.body as Record<string, unknown>;
    const a = await must(this.root, 'POST', `${this.prefix(db)}/_api/collection`, { name, ...props });
    return a.body as Record<string, unknown>;
  }

  async insert(
    db: string,
    coll: string,
    docs: Record<string, unknown>[],
  ): Promise<Record<string, unknown>[]> {
    if (docs.length === 0) return [];
    const a = await must(this.root, 'POST', `${this.prefix(db)}/_api/document/${coll}`, docs);
    return a.body as Record<string, unknown>[];
  }

  map(recorded: string, actual: string): void {
    if (recorded !== actual) this.subst.set(recorded, actual);
  }
}

export function dbOf(e: Example): string {
  const m = /^\/_db\/([^/]+)/.exec(e.path);
  return m ? decodeURIComponent(m[1] as string) : '_system';
}

function segs(e: Example): string[] {
  return apiPath(e).split('/').filter(Boolean);
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function userAttrs(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v;
  return out;
}

function expects1203(steps: Example[], name: string): boolean {
  return steps.some((s) => {
    const b = obj(s.responseBody);
    return b?.errorNum === 1203 && new RegExp(`: ${name}\\b`).test(String(b.errorMessage));
  });
}

/** Docs `{_key, …}` seen in recorded responses whose `_id` is in `coll`. */
function recordedDocs(steps: Example[], coll: string): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o._id === 'string' && o._id.startsWith(`${coll}/`) && typeof o._key === 'string') {
        const prev = found.get(o._key);
        if (!prev || Object.keys(o).length > Object.keys(prev).length) found.set(o._key, o);
      }
      for (const x of Object.values(o)) visit(x);
    }
  };
  for (const s of steps) visit(s.responseBody);
  return found;
}

const isWrite = (m: string) => m === 'POST' || m === 'PUT' || m === 'PATCH' || m === 'DELETE';

async function documentSetup(env: Env, steps: Example[]): Promise<void> {
  const first = steps[0] as Example;
  const db = dbOf(first);
  const coll = segs(first)[2] ?? (first.query.collection as string);
  if (!coll || expects1203(steps, coll)) return;
  const edge = steps.some((s) => JSON.stringify(s.requestBody ?? '').includes('_from'));
  const syncStatus = steps.some((s) => {
    if (!isWrite(s.method) || s.query.waitForSync === 'true' || s.query.onlyget === 'true') return false;
    return (s.method === 'DELETE' && s.status === 200) || (s.method !== 'DELETE' && s.status === 201);
  });
  await env.ensureCollection(db, coll, { type: edge ? 3 : 2, waitForSync: syncStatus });
  const docs = recordedDocs(steps, coll);
  const wanted = new Map<string, Record<string, unknown>>();
  for (const s of steps) {
    const key = segs(s)[3];
    const missing = obj(s.responseBody)?.errorNum === 1202;
    if (key && !missing && !(s.method === 'POST')) wanted.set(key, userAttrs(docs.get(key) ?? {}));
    if (Array.isArray(s.requestBody) && s.method !== 'POST') {
      const results = Array.isArray(s.responseBody) ? (s.responseBody as unknown[]) : [];
      s.requestBody.forEach((item, i) => {
        const r = obj(results[i]);
        if (r?.errorNum === 1202) return;
        const k = typeof item === 'string' ? item : (obj(item)?._key as string | undefined);
        if (!k) return;
        if (k.includes('/') && !k.startsWith(`${coll}/`)) return;
        const key2 = k.includes('/') ? k.slice(coll.length + 1) : k;
        wanted.set(key2, userAttrs(docs.get(key2) ?? r ?? {}));
      });
    }
  }
  for (const [key, attrs] of wanted) {
    const extra = edge ? { _from: 'v/a', _to: 'v/b' } : {};
    const [created] = await env.insert(db, coll, [{ ...extra, ...attrs, _key: key }]);
    const rec = docs.get(key);
    if (rec && typeof rec._rev === 'string' && created) env.map(rec._rev, String(created._rev));
  }
  // Revisions sent back in bodies or If-Match headers refer to the recorded documents.
  for (const s of steps) {
    const etag = s.otherResponseHeaders?.etag?.replace(/"/g, '');
    const key = segs(s)[3];
    if (etag && key && wanted.has(key)) {
      const cur = await call(env.root, 'GET', `${env.prefix(db)}/_api/document/${coll}/${key}`);
      const rev = obj(cur.body)?._rev;
      if (typeof rev === 'string' && !env.subst.has(etag)) env.map(etag, rev);
    }
    if (Array.isArray(s.requestBody) && Array.isArray(s.responseBody)) {
      for (const r of s.responseBody as unknown[]) {
        const o = obj(r);
        if (!o || typeof o._key !== 'string' || typeof o._rev !== 'string' || !wanted.has(o._key)) continue;
        const cur = await call(env.root, 'GET', `${env.prefix(db)}/_api/document/${coll}/${o._key}`);
        const rev = obj(cur.body)?._rev;
        if (typeof rev === 'string') env.map(o._rev, rev);
      }
    }
  }
}

async function collectionSetup(env: Env, steps: Example[]): Promise<void> {
  for (const s of steps) {
    const db = dbOf(s);
    const parts = segs(s);
    const raw = parts[2];
    if (!raw || (s.method === 'POST' && parts.length === 2)) continue;
    const body = obj(s.responseBody) ?? {};
    const name = /^\d+$/.test(raw) ? String(body.name ?? 'products') : raw;
    if (expects1203(steps, name)) continue;
    const props: Record<string, unknown> = {};
    if (typeof body.waitForSync === 'boolean' && !(s.method === 'PUT' && parts[3] === 'properties'))
      props.waitForSync = body.waitForSync;
    if (name.startsWith('_')) props.isSystem = true;
    if (typeof body.numberOfShards === 'number') props.numberOfShards = body.numberOfShards;
    const created = await env.ensureCollection(db, name, props);
    if (/^\d+$/.test(raw)) env.map(raw, String(created.id));
    const count = typeof body.count === 'number' ? body.count : 0;
    const docs = Array.from({ length: count }, (_, i) => ({ _key: `d${i}`, value: i }));
    await env.insert(db, name, docs);
  }
}

async function indexSetup(env: Env, steps: Example[]): Promise<void> {
  for (const s of steps) {
    const db = dbOf(s);
    const parts = segs(s);
    const coll = (s.query.collection as string | undefined) ?? parts[2];
    if (!coll) continue;
    await env.ensureCollection(db, coll);
    const body = obj(s.responseBody) ?? {};
    if (s.method === 'GET' && Array.isArray(body.indexes)) {
      for (const idx of body.indexes as Record<string, unknown>[]) {
        if (idx.type === 'primary' || idx.type === 'edge') continue;
        await must(env.root, 'POST', `${env.prefix(db)}/_api/index?collection=${coll}`, {
          type: idx.type,
          fields: idx.fields,
          unique: idx.unique,
          sparse: idx.sparse,
        });
      }
    }
    const id = parts[3];
    if (s.method === 'DELETE' && id && id !== '0') {
      const a = await must(env.root, 'POST', `${env.prefix(db)}/_api/index?collection=${coll}`, {
        type: 'persistent',
        fields: ['a'],
        unique: true,
      });
      env.map(id, String(obj(a.body)?.id).split('/')[1] as string);
    }
  }
}

async function importSetup(env: Env, steps: Example[]): Promise<void> {
  for (const s of steps) {
    const coll = s.query.collection;
    if (!coll || expects1203(steps, coll)) continue;
    const edge =
      JSON.stringify(s.requestBody ?? '').includes('_from') ||
      JSON.stringify(s.responseBody).includes("'_from'");
    await env.ensureCollection(dbOf(s), coll, { type: edge ? 3 : 2 });
  }
}

const QUERY_COLLECTION = /\b(?:IN|INTO)\s+([A-Za-z_][\w-]*)/g;
const NOT_COLLECTIONS = new Set(['OUTBOUND', 'INBOUND', 'ANY', 'GRAPH']);

function queriesOf(steps: Example[]): string[] {
  const qs: string[] = [];
  for (const s of steps) {
    for (const b of [s.requestBody, ...(s.unrecordedPriorRequests ?? []).map((p) => p.requestBody)]) {
      const q = obj(b)?.query;
      if (typeof q === 'string') qs.push(q);
    }
  }
  return qs;
}

/** Collections a query group needs, filled so the recorded counts and result documents come back. */
async function querySetup(env: Env, steps: Example[]): Promise<void> {
  const db = dbOf(steps[0] as Example);
  const names = new Set<string>();
  for (const q of queriesOf(steps)) for (const m of q.matchAll(QUERY_COLLECTION)) names.add(m[1] as string);
  for (const name of names) {
    if (NOT_COLLECTIONS.has(name.toUpperCase()) || expects1203(steps, name)) continue;
    await env.ensureCollection(db, name);
    const docs = recordedDocs(steps, name);
    let wanted = 0;
    for (const s of steps) {
      const b = obj(s.responseBody);
      const stats = obj(obj(b?.extra)?.stats) ?? {};
      for (const k of ['scannedFull', 'writesExecuted', 'scannedIndex']) {
        if (typeof stats[k] === 'number') wanted = Math.max(wanted, stats[k] as number);
      }
      if (typeof b?.count === 'number' && (obj(s.requestBody)?.query as string | undefined)?.includes(name)) {
        wanted = Math.max(wanted, b.count as number);
      }
    }
    if (queriesOf(steps).some((q) => q.includes(`FOR p IN ${name} LIMIT`))) wanted = Math.max(wanted, 5);
    const hello =
      [...docs.keys()].length > 0 &&
      [...docs.values()].some((d) => Object.keys(d).some((k) => /^hello\d+$/.test(k)));
    const fill: Record<string, unknown>[] = [];
    if (hello) {
      for (let i = 1; i <= Math.max(wanted, docs.size); i++) fill.push({ [`hello${i}`]: 'world1' });
    } else {
      for (const d of docs.values()) fill.push({ ...userAttrs(d), _key: d._key });
      for (let i = fill.length; i < wanted; i++) fill.push({ _key: `k${i}`, id: i, name: `n${i}`, value: i });
      if (fill.length === 0 && !queriesOf(steps).some((q) => /REMOVE '(foo|bar)'/.test(q))) {
        for (let i = 0; i < 10; i++) fill.push({ _key: `k${i}`, id: i, name: `n${i}`, value: i });
      }
    }
    for (const q of queriesOf(steps)) {
      if (q.includes('doc._key == @myKey')) fill.push({ _key: 'test', arr: [1, 2, 3] });
    }
    await env.insert(db, name, fill);
  }
}

/** The docs' example graphs (js/common/modules/@arangodb/graph-examples/example-graph.js). */
async function createSocial(env: Env, db: string): Promise<void> {
  await must(env.root, 'POST', `${env.prefix(db)}/_api/gharial`, {
    name: 'social',
    edgeDefinitions: [{ collection: 'relation', from: ['female', 'male'], to: ['female', 'male'] }],
  });
  await env.insert(db, 'female', [
    { _key: 'alice', name: 'Alice' },
    { _key: 'diana', name: 'Diana' },
  ]);
  await env.insert(db, 'male', [
    { _key: 'bob', name: 'Bob' },
    { _key: 'charly', name: 'Charly' },
  ]);
  await env.insert(db, 'relation', [
    { _from: 'female/alice', _to: 'male/bob', type: 'married', vertex: 'alice' },
    { _from: 'female/alice', _to: 'male/charly', type: 'friend', vertex: 'alice' },
    { _from: 'male/charly', _to: 'female/diana', type: 'married', vertex: 'charly' },
    { _from: 'male/bob', _to: 'female/diana', type: 'friend', vertex: 'bob' },
  ]);
}

async function createRoutePlanner(env: Env, db: string): Promise<void> {
  await must(env.root, 'POST', `${env.prefix(db)}/_api/gharial`, {
    name: 'routeplanner',
    edgeDefinitions: [
      { collection: 'frenchHighway', from: ['frenchCity'], to: ['frenchCity'] },
      { collection: 'germanHighway', from: ['germanCity'], to: ['germanCity'] },
      {
        collection: 'internationalHighway',
        from: ['frenchCity', 'germanCity'],
        to: ['frenchCity', 'germanCity'],
      },
    ],
  });
}

async function gharialSetup(env: Env, steps: Example[]): Promise<void> {
  const db = dbOf(steps[0] as Example);
  const graphs = new Set<string>();
  for (const s of steps) {
    const g = segs(s)[2];
    if (g && !(s.method === 'POST' && segs(s).length === 2)) graphs.add(g);
    if (s.method === 'GET' && segs(s).length === 2)
      for (const g2 of ['social', 'routeplanner']) graphs.add(g2);
  }
  for (const g of graphs) {
    if (g === 'social') await createSocial(env, db);
    else if (g === 'routeplanner') await createRoutePlanner(env, db);
    else {
      const rec = steps.map((s) => obj(obj(s.responseBody)?.graph)).find((x) => x?._key === g);
      await must(env.root, 'POST', `${env.prefix(db)}/_api/gharial`, {
        name: g,
        edgeDefinitions: rec?.edgeDefinitions ?? [],
        orphanCollections: rec?.orphanCollections ?? [],
      });
    }
  }
  // Edges addressed by their recorded numeric key.
  for (const s of steps) {
    const [, , g, kind, coll, key] = segs(s);
    if (!g || kind !== 'edge' || !coll || !key || !/^\d+$/.test(key)) continue;
    const rec = obj(obj(s.responseBody)?.edge);
    const attrs = rec && typeof rec._from === 'string' ? userAttrs(rec) : { type: 'friend' };
    const from = rec && typeof rec._from === 'string' ? rec._from : 'female/alice';
    const to = rec && typeof rec._to === 'string' ? rec._to : 'male/bob';
    const [created] = await env.insert(db, coll, [{ ...attrs, _from: from, _to: to }]);
    if (created) env.map(key, String(created._key));
  }
  // Removing an orphan collection needs the orphan first (the docs example adds it in its script).
  for (const s of steps) {
    const [, , g, kind, coll] = segs(s);
    if (s.method === 'DELETE' && kind === 'vertex' && coll && segs(s).length === 5 && s.status < 300) {
      await must(env.root, 'POST', `${env.prefix(db)}/_api/gharial/${g}/vertex`, { collection: coll });
    }
  }
}

async function viewSetup(env: Env, steps: Example[]): Promise<void> {
  const db = dbOf(steps[0] as Example);
  const views: Record<string, unknown>[] = [];
  for (const s of steps) {
    const parts = segs(s);
    const body = obj(s.responseBody) ?? {};
    if (s.method === 'GET' && parts.length === 2 && Array.isArray(body.result))
      views.push(...(body.result as Record<string, unknown>[]));
    else if (parts[2] && !(s.method === 'POST' && parts.length === 2)) {
      const name = /^\d+$/.test(parts[2]) ? String(body.name) : parts[2];
      views.push({ ...body, name, recordedId: parts[2] });
    }
  }
  for (const v of views) {
    const name = String(v.name);
    if ((await call(env.root, 'GET', `${env.prefix(db)}/_api/view/${name}`)).status === 200) continue;
    const type = v.type === 'search-alias' ? 'search-alias' : 'arangosearch';
    let created: Record<string, unknown>;
    if (type === 'search-alias') {
      const indexes = (v.indexes as Record<string, unknown>[] | undefined) ?? [
        { collection: 'books', index: 'inv-idx' },
      ];
      for (const i of indexes) {
        await env.ensureCollection(db, String(i.collection));
        await must(env.root, 'POST', `${env.prefix(db)}/_api/index?collection=${i.collection}`, {
          type: 'inverted',
          name: i.index,
          fields: [String(i.index).replace(/^inv[-_]/, '')],
        });
      }
      created = (await must(env.root, 'POST', `${env.prefix(db)}/_api/view`, { name, type, indexes }))
        .body as Record<string, unknown>;
    } else {
      const links = (obj(v.links) ?? {}) as Record<string, unknown>;
      for (const c of Object.keys(links)) await env.ensureCollection(db, c);
      created = (await must(env.root, 'POST', `${env.prefix(db)}/_api/view`, { name, type, links }))
        .body as Record<string, unknown>;
    }
    if (typeof v.recordedId === 'string' && /^\d+$/.test(v.recordedId))
      env.map(v.recordedId, String(created.id));
  }
  for (const s of steps) {
    const links = obj(obj(s.requestBody)?.links);
    for (const c of Object.keys(links ?? {})) await env.ensureCollection(db, c);
    for (const i of (obj(s.requestBody)?.indexes as Record<string, unknown>[] | undefined) ?? []) {
      await env.ensureCollection(db, String(i.collection));
      const exists = await call(env.root, 'GET', `${env.prefix(db)}/_api/index/${i.collection}/${i.index}`);
      if (exists.status !== 200) {
        await must(env.root, 'POST', `${env.prefix(db)}/_api/index?collection=${i.collection}`, {
          type: 'inverted',
          name: i.index,
          fields: [String(i.index).replace(/^inv[-_]/, '')],
        });
      }
    }
  }
}

async function analyzerSetup(env: Env, steps: Example[]): Promise<void> {
  const db = dbOf(steps[0] as Example);
  for (const s of steps) {
    const name = segs(s)[2];
    if (!name || s.method === 'POST') continue;
    await call(env.root, 'POST', `${env.prefix(db)}/_api/analyzer`, { name, type: 'identity' });
  }
}

async function userSetup(env: Env, steps: Example[]): Promise<void> {
  for (const s of steps) {
    const parts = segs(s);
    const user = parts[2];
    if (s.method === 'GET' && parts.length === 2) {
      for (const u of (obj(s.responseBody)?.result as Record<string, unknown>[] | undefined) ?? []) {
        if (u.user !== 'root') await call(env.root, 'POST', '/_api/user', { user: u.user, active: u.active });
      }
    }
    if (!user || (s.method === 'POST' && parts.length === 2)) continue;
    await call(env.root, 'POST', '/_api/user', { user, passwd: 'x' });
    const result = obj(s.responseBody)?.result;
    const db = parts[4];
    if (db && typeof result === 'string' && result !== 'none' && !parts[5]) {
      await call(env.root, 'PUT', `/_api/user/${user}/database/${db}`, { grant: result });
    }
    const full = obj(result);
    if (full) {
      for (const [dbName, v] of Object.entries(full)) {
        const level = typeof v === 'string' ? v : obj(v)?.permission;
        if (dbName !== '*' && typeof level === 'string' && level !== 'none') {
          await call(env.root, 'PUT', `/_api/user/${user}/database/${dbName}`, { grant: level });
        }
      }
    }
  }
}

async function databaseSetup(env: Env, steps: Example[]): Promise<void> {
  for (const s of steps) {
    const name = segs(s)[2];
    if (s.method === 'DELETE' && name) await env.ensureDb(name);
  }
}

/** Edges as recorded, between vertices that need not exist (the edge index does not check them). */
async function edgesSetup(env: Env, steps: Example[]): Promise<void> {
  for (const s of steps) {
    const db = dbOf(s);
    const coll = segs(s)[2];
    if (!coll) continue;
    await env.ensureCollection(db, coll, { type: 3 });
    const docs = [...recordedDocs(steps, coll).values()].map((d) => ({
      ...userAttrs(d),
      _key: d._key,
      _from: d._from,
      _to: d._to,
    }));
    const have = await call(env.root, 'GET', `${env.prefix(db)}/_api/collection/${coll}/count`);
    if ((have.body as Record<string, unknown>).count === 0) await env.insert(db, coll, docs);
  }
}

const SETUPS: Partial<Record<Family, (env: Env, steps: Example[]) => Promise<void>>> = {
  edges: edgesSetup,
  document: documentSetup,
  collection: collectionSetup,
  index: indexSetup,
  import: importSetup,
  cursor: querySetup,
  explain: querySetup,
  query: querySetup,
  gharial: gharialSetup,
  view: viewSetup,
  analyzer: analyzerSetup,
  user: userSetup,
  database: databaseSetup,
};

export async function setupGroup(env: Env, family: Family, steps: Example[]): Promise<void> {
  for (const s of steps) await env.ensureDb(dbOf(s));
  await SETUPS[family]?.(env, steps);
}
