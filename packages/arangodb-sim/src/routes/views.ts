import { SimError } from '../aql/host.js';
import type { Ctx } from '../http/context.js';
import { json, ok, reorder } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { Instance } from '../instance.js';
import type { Database, ViewRecord } from '../storage/database.js';
import { errors } from '../storage/errors.js';
import { consolidationIntervalMsec, consolidationPolicy, is312 } from '../version.js';

const MUTABLE = [
  'cleanupIntervalStep',
  'commitIntervalMsec',
  'consolidationIntervalMsec',
  'consolidationPolicy',
] as const;

function defaults(inst: Instance): Record<string, unknown> {
  const d: Record<string, unknown> = {
    cleanupIntervalStep: 2,
    commitIntervalMsec: 1000,
    consolidationIntervalMsec: consolidationIntervalMsec(inst.version),
    consolidationPolicy: consolidationPolicy(inst.version),
  };
  if (is312(inst.version)) d.optimizeTopK = [];
  Object.assign(d, {
    primarySort: [],
    primarySortCompression: 'lz4',
    storedValues: [],
    writebufferActive: 0,
    writebufferIdle: 64,
    writebufferSizeMax: 33554432,
  });
  return d;
}

/** Link options a nested field inherits from its parent link or field. */
const INHERITED_LINK_KEYS = ['analyzers', 'includeAllFields', 'storeValues', 'trackListPositions', 'cache'];

/**
 * Nested link fields as the server stores them: options equal to the inherited value are left out
 * (`RestViewGetViewPropertiesNameArangoSearch` prints `title: {analyzers: ["text_en"]}` only).
 */
function linkFields(fields: unknown, parent: Record<string, unknown>): Record<string, unknown> {
  if (!fields || typeof fields !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(fields as Record<string, unknown>)) {
    const field: Record<string, unknown> = { ...((raw ?? {}) as Record<string, unknown>) };
    delete field.inBackground;
    const effective = { ...parent, ...field };
    for (const k of INHERITED_LINK_KEYS) {
      if (k in field && JSON.stringify(field[k]) === JSON.stringify(parent[k])) delete field[k];
    }
    if (field.fields !== undefined) field.fields = linkFields(field.fields, effective);
    out[name] = field;
  }
  return out;
}

function normaliseLink(v: Record<string, unknown>): Record<string, unknown> {
  const link: Record<string, unknown> = {
    analyzers: Array.isArray(v.analyzers) ? v.analyzers : ['identity'],
    includeAllFields: v.includeAllFields === true,
    storeValues: typeof v.storeValues === 'string' ? v.storeValues : 'none',
    trackListPositions: v.trackListPositions === true,
  };
  return {
    analyzers: link.analyzers,
    fields: linkFields(v.fields, link),
    includeAllFields: link.includeAllFields,
    storeValues: link.storeValues,
    trackListPositions: link.trackListPositions,
  };
}

function applyLinks(db: Database, current: Record<string, unknown>, patch: unknown): Record<string, unknown> {
  const links = { ...current };
  if (!patch || typeof patch !== 'object') return links;
  for (const [coll, def] of Object.entries(patch as Record<string, unknown>)) {
    if (def === null) {
      delete links[coll];
      continue;
    }
    if (!db.collections.has(coll)) throw errors.dataSourceNotFound(coll);
    links[coll] = normaliseLink(def as Record<string, unknown>);
  }
  return links;
}

function normaliseSort(v: unknown): unknown[] {
  if (!Array.isArray(v)) return [];
  return v.map((e) => {
    const s = e as Record<string, unknown>;
    const asc = s.asc !== undefined ? s.asc === true : String(s.direction ?? 'asc').toLowerCase() !== 'desc';
    return { field: s.field, asc };
  });
}

function normaliseStored(v: unknown): unknown[] {
  if (!Array.isArray(v)) return [];
  return v.map((e) =>
    Array.isArray(e)
      ? { fields: e, compression: 'lz4' }
      : typeof e === 'string'
        ? { fields: [e], compression: 'lz4' }
        : e,
  );
}

function header(v: ViewRecord): Record<string, unknown> {
  return { globallyUniqueId: v.globallyUniqueId, id: v.id, name: v.name, type: v.type };
}

function full(v: ViewRecord): Record<string, unknown> {
  return { ...header(v), ...v.props };
}

/** GET …/properties answers in the server's hash order, which moved writebufferIdle in 3.12. */
const PROPERTIES_ORDER_312 = [
  'writebufferSizeMax',
  'writebufferIdle',
  'id',
  'storedValues',
  'name',
  'type',
  'consolidationPolicy',
  'writebufferActive',
  'links',
  'commitIntervalMsec',
  'consolidationIntervalMsec',
  'optimizeTopK',
  'globallyUniqueId',
  'cleanupIntervalStep',
  'primarySort',
  'primarySortCompression',
];
const PROPERTIES_ORDER_311 = [
  ...PROPERTIES_ORDER_312.filter((k) => k !== 'writebufferIdle'),
  'writebufferIdle',
];
const ALIAS_ORDER = ['type', 'name', 'indexes', 'id', 'globallyUniqueId'];

function propertiesView(inst: Instance, v: ViewRecord): Record<string, unknown> {
  if (v.type === 'search-alias') return reorder(full(v), ALIAS_ORDER);
  return reorder(full(v), is312(inst.version) ? PROPERTIES_ORDER_312 : PROPERTIES_ORDER_311);
}

function lookup(db: Database, nameOrId: string): ViewRecord {
  const v = db.views.get(nameOrId) ?? [...db.views.values()].find((x) => x.id === nameOrId);
  if (!v) throw errors.dataSourceNotFound(nameOrId);
  return v;
}

function aliasIndexes(db: Database, current: unknown[], patch: unknown, replace: boolean): unknown[] {
  if (!Array.isArray(patch)) return replace ? [] : current;
  let out = replace ? [] : [...current];
  for (const e of patch as Record<string, unknown>[]) {
    const c = db.collections.get(String(e.collection));
    if (!c) throw errors.dataSourceNotFound(String(e.collection));
    const entry = { collection: e.collection, index: e.index };
    if (e.operation === 'del') out = out.filter((x) => JSON.stringify(x) !== JSON.stringify(entry));
    else out.push(entry);
  }
  return out;
}

function updateProps(ctx: Ctx, v: ViewRecord, body: Record<string, unknown>, replace: boolean): void {
  const db = ctx.db;
  if (v.type === 'search-alias') {
    v.props.indexes = aliasIndexes(db, v.props.indexes as unknown[], body.indexes, replace);
    return;
  }
  const base = replace ? defaults(ctx.server) : v.props;
  const next: Record<string, unknown> = { ...base };
  for (const k of MUTABLE) if (body[k] !== undefined) next[k] = body[k];
  for (const k of [
    'primarySort',
    'primarySortCompression',
    'storedValues',
    'optimizeTopK',
    'writebufferActive',
    'writebufferIdle',
    'writebufferSizeMax',
  ]) {
    next[k] = v.props[k] ?? next[k];
  }
  next.links = applyLinks(db, replace ? {} : ((v.props.links ?? {}) as Record<string, unknown>), body.links);
  v.props = next;
}

export function viewRoutes(r: Router): void {
  r.on('GET', '/_api/view', (ctx) => ok({ result: [...ctx.db.views.values()].map(header) }));

  r.on('POST', '/_api/view', (ctx) => {
    ctx.server.assertAdmin(ctx);
    const b = ctx.object();
    const db = ctx.db;
    if (typeof b.name !== 'string' || !/^[a-zA-Z][a-zA-Z0-9_-]{0,255}$/.test(b.name))
      throw errors.illegalName();
    if (b.type !== 'arangosearch' && b.type !== 'search-alias')
      throw new SimError(400, 10, 'invalid view type');
    if (db.views.has(b.name) || db.collections.has(b.name)) throw errors.duplicateName(b.name);
    const id = String(ctx.server.ids.tick());
    const v: ViewRecord = {
      id,
      name: b.name,
      type: b.type,
      globallyUniqueId: db.globallyUniqueId(id, ctx.server.cluster),
      props: {},
    };
    if (b.type === 'search-alias') v.props = { indexes: aliasIndexes(db, [], b.indexes, true) };
    else {
      const props = defaults(ctx.server);
      for (const k of MUTABLE) if (b[k] !== undefined) props[k] = b[k];
      if (b.primarySort !== undefined) props.primarySort = normaliseSort(b.primarySort);
      if (typeof b.primarySortCompression === 'string')
        props.primarySortCompression = b.primarySortCompression;
      if (b.storedValues !== undefined) props.storedValues = normaliseStored(b.storedValues);
      if (Array.isArray(b.optimizeTopK) && is312(ctx.server.version)) props.optimizeTopK = b.optimizeTopK;
      for (const k of ['writebufferActive', 'writebufferIdle', 'writebufferSizeMax'])
        if (typeof b[k] === 'number') props[k] = b[k];
      props.links = applyLinks(db, {}, b.links);
      v.props = props;
    }
    db.views.set(v.name, v);
    return json(full(v), 201);
  });

  r.on('GET', '/_api/view/:name', (ctx, p) => {
    const v = lookup(ctx.db, p.name as string);
    return ok({ type: v.type, name: v.name, id: v.id, globallyUniqueId: v.globallyUniqueId });
  });

  r.on('GET', '/_api/view/:name/properties', (ctx, p) =>
    ok(propertiesView(ctx.server, lookup(ctx.db, p.name as string))),
  );

  r.on('PUT', '/_api/view/:name/properties', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const v = lookup(ctx.db, p.name as string);
    updateProps(ctx, v, ctx.object(), true);
    return json(full(v));
  });

  r.on('PATCH', '/_api/view/:name/properties', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const v = lookup(ctx.db, p.name as string);
    updateProps(ctx, v, ctx.object(), false);
    return json(full(v));
  });

  r.on('PUT', '/_api/view/:name/rename', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    if (ctx.server.cluster) throw new SimError(501, 1470, 'not implemented');
    const db = ctx.db;
    const v = lookup(db, p.name as string);
    const to = ctx.object().name;
    if (typeof to !== 'string' || to.length === 0) throw errors.illegalName();
    if (db.views.has(to) || db.collections.has(to)) throw errors.duplicateName(to);
    db.views.delete(v.name);
    v.name = to;
    db.views.set(to, v);
    return json(full(v));
  });

  r.on('DELETE', '/_api/view/:name', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const v = lookup(ctx.db, p.name as string);
    ctx.db.views.delete(v.name);
    return ok({ result: true });
  });
}
