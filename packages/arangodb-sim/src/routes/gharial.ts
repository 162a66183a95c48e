import { SimError, type StoredDoc } from '../aql/host.js';
import type { Ctx } from '../http/context.js';
import { ok, type Reply } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { Collection } from '../storage/collection.js';
import type { Database } from '../storage/database.js';
import { errors } from '../storage/errors.js';
import { hasInitialCid } from '../version.js';

interface EdgeDefinition {
  collection: string;
  from: string[];
  to: string[];
}

const graphNotFound = (name: string) => new SimError(404, 1924, `graph '${name}' not found`);

function graphsCollection(db: Database): Collection {
  return db.require('_graphs');
}

function loadGraph(db: Database, name: string): StoredDoc {
  const g = graphsCollection(db).get(name);
  if (!g) throw graphNotFound(name);
  return g;
}

function definitions(g: StoredDoc): EdgeDefinition[] {
  return (g.edgeDefinitions as EdgeDefinition[]) ?? [];
}

function parseDefinition(v: unknown): EdgeDefinition {
  const d = (v ?? {}) as Record<string, unknown>;
  if (typeof d.collection !== 'string' || !Array.isArray(d.from) || !Array.isArray(d.to)) {
    throw new SimError(400, 1923, 'edge definition not valid');
  }
  return {
    collection: d.collection,
    from: [...(d.from as string[])].sort(),
    to: [...(d.to as string[])].sort(),
  };
}

function vertexCollections(g: StoredDoc): string[] {
  const s = new Set<string>();
  for (const d of definitions(g)) for (const c of [...d.from, ...d.to]) s.add(c);
  for (const c of (g.orphanCollections as string[]) ?? []) s.add(c);
  return [...s].sort();
}

/** `_key`, attributes…, `_rev`, `_id`, `name`: the order gharial answers with. */
function graphView(g: StoredDoc): Record<string, unknown> {
  const { _key, _id, _rev, ...attrs } = g;
  return { _key, ...attrs, _rev, _id, name: _key };
}

function graphListView(g: StoredDoc): Record<string, unknown> {
  const { _key, _id, _rev, ...attrs } = g;
  return { _id, _key, _rev, ...attrs, name: _key };
}

function ensureCollection(ctx: Ctx, name: string, type: 2 | 3): void {
  const db = ctx.db;
  const existing = db.collections.get(name);
  if (existing) {
    if (existing.props.type !== type) {
      throw type === 3
        ? new SimError(400, 1944, 'edge definition collection is a document collection')
        : new SimError(400, 1927, 'vertex collection is an edge collection');
    }
    return;
  }
  db.addCollection(ctx.server.collectionProps({ name, type }, db.options));
}

function graphReply(ctx: Ctx, g: StoredDoc, key: 'graph' = 'graph'): Reply {
  const status = ctx.flag('waitForSync') ? 201 : 202;
  return ok({ [key]: graphView(g) }, status, { etag: g._rev });
}

function saveGraph(ctx: Ctx, g: StoredDoc, patch: Record<string, unknown>): StoredDoc {
  return graphsCollection(ctx.db).update(g._key, patch).new;
}

function docCollection(ctx: Ctx, g: StoredDoc, coll: string, edge: boolean): Collection {
  const allowed = edge ? definitions(g).map((d) => d.collection) : vertexCollections(g);
  if (!allowed.includes(coll)) {
    throw edge
      ? new SimError(404, 1930, 'edge collection not used in graph')
      : new SimError(404, 1926, 'vertex collection does not exist or is not part of the graph');
  }
  return ctx.db.require(coll);
}

export function gharialRoutes(r: Router): void {
  r.on('GET', '/_api/gharial', (ctx) => {
    ctx.assertReadable();
    return ok({ graphs: [...graphsCollection(ctx.db).all()].map(graphListView) });
  });

  r.on('POST', '/_api/gharial', (ctx) => {
    ctx.server.assertAdmin(ctx);
    const b = ctx.object();
    const name = b.name;
    if (typeof name !== 'string' || name.length === 0) throw new SimError(400, 1902, 'invalid graph');
    const graphs = graphsCollection(ctx.db);
    if (graphs.get(name)) throw new SimError(409, 1925, 'graph already exists');
    const defs = (Array.isArray(b.edgeDefinitions) ? b.edgeDefinitions : []).map(parseDefinition);
    const orphans = (Array.isArray(b.orphanCollections) ? (b.orphanCollections as string[]) : [])
      .slice()
      .sort();
    for (const d of defs) {
      ensureCollection(ctx, d.collection, 3);
      for (const v of [...d.from, ...d.to]) ensureCollection(ctx, v, 2);
    }
    for (const o of orphans) ensureCollection(ctx, o, 2);
    const options = (b.options ?? {}) as Record<string, unknown>;
    const satellite = options.replicationFactor === 'satellite';
    const smart = b.isSmart === true;
    const doc: Record<string, unknown> = { _key: name };
    if (smart || satellite) {
      if (satellite) Object.assign(doc, { numberOfShards: 1, replicationFactor: 'satellite' });
      else {
        Object.assign(doc, {
          numberOfShards: typeof options.numberOfShards === 'number' ? options.numberOfShards : 1,
          replicationFactor: typeof options.replicationFactor === 'number' ? options.replicationFactor : 1,
          minReplicationFactor: typeof options.writeConcern === 'number' ? options.writeConcern : 1,
          writeConcern: typeof options.writeConcern === 'number' ? options.writeConcern : 1,
        });
      }
      Object.assign(doc, { isSmart: smart, isSatellite: satellite });
    } else if (ctx.server.cluster) {
      Object.assign(doc, {
        numberOfShards: typeof options.numberOfShards === 'number' ? options.numberOfShards : 1,
        replicationFactor: typeof options.replicationFactor === 'number' ? options.replicationFactor : 1,
        minReplicationFactor: 1,
        writeConcern: typeof options.writeConcern === 'number' ? options.writeConcern : 1,
        isSmart: false,
        isSatellite: false,
      });
    }
    doc.edgeDefinitions = defs;
    doc.orphanCollections = orphans;
    if (smart || satellite) {
      const initial = defs[0]?.from[0] ?? orphans[0];
      if (initial) doc.initial = initial;
      if (hasInitialCid(ctx.server.version))
        doc.initialCid = Number(ctx.db.collections.get(initial ?? '')?.id ?? 0);
      if (typeof options.smartGraphAttribute === 'string')
        doc.smartGraphAttribute = options.smartGraphAttribute;
      if (smart) doc.isDisjoint = options.isDisjoint === true;
    }
    return graphReply(ctx, graphs.insert(doc).new);
  });

  r.on('GET', '/_api/gharial/:g', (ctx, p) => {
    ctx.assertReadable();
    return ok({ graph: graphView(loadGraph(ctx.db, p.g as string)) });
  });

  r.on('DELETE', '/_api/gharial/:g', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const db = ctx.db;
    const g = loadGraph(db, p.g as string);
    graphsCollection(db).remove(g._key);
    if (ctx.flag('dropCollections')) {
      const stillUsed = new Set<string>();
      for (const other of graphsCollection(db).all()) {
        for (const c of [...vertexCollections(other), ...definitions(other).map((d) => d.collection)])
          stillUsed.add(c);
      }
      for (const c of [...definitions(g).map((d) => d.collection), ...vertexCollections(g)]) {
        const col = db.collections.get(c);
        if (col && !stillUsed.has(c)) db.dropCollection(col);
      }
    }
    return ok({ removed: true }, ctx.flag('waitForSync') ? 200 : 202);
  });

  r.on('GET', '/_api/gharial/:g/vertex', (ctx, p) =>
    ok({ collections: vertexCollections(loadGraph(ctx.db, p.g as string)) }),
  );
  r.on('GET', '/_api/gharial/:g/edge', (ctx, p) =>
    ok({
      collections: definitions(loadGraph(ctx.db, p.g as string))
        .map((d) => d.collection)
        .sort(),
    }),
  );

  r.on('POST', '/_api/gharial/:g/vertex', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const g = loadGraph(ctx.db, p.g as string);
    const coll = ctx.object().collection;
    if (typeof coll !== 'string') throw errors.badParameter('collection missing');
    if (vertexCollections(g).includes(coll)) throw new SimError(400, 1938, 'collection used in orphans');
    ensureCollection(ctx, coll, 2);
    const orphans = [...((g.orphanCollections as string[]) ?? []), coll].sort();
    return graphReply(ctx, saveGraph(ctx, g, { orphanCollections: orphans }));
  });

  r.on('DELETE', '/_api/gharial/:g/vertex/:coll', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const g = loadGraph(ctx.db, p.g as string);
    const orphans = (g.orphanCollections as string[]) ?? [];
    if (!orphans.includes(p.coll as string)) {
      throw new SimError(400, 1928, 'collection is not in list of orphan collections');
    }
    const updated = saveGraph(ctx, g, { orphanCollections: orphans.filter((o) => o !== p.coll) });
    if (ctx.flag('dropCollection')) {
      const c = ctx.db.collections.get(p.coll as string);
      if (c) ctx.db.dropCollection(c);
    }
    return graphReply(ctx, updated);
  });

  r.on('POST', '/_api/gharial/:g/edge', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const g = loadGraph(ctx.db, p.g as string);
    const def = parseDefinition(ctx.object());
    if (definitions(g).some((d) => d.collection === def.collection)) {
      throw new SimError(400, 1920, 'multi use of edge collection in edge def');
    }
    ensureCollection(ctx, def.collection, 3);
    for (const v of [...def.from, ...def.to]) ensureCollection(ctx, v, 2);
    const defs = [...definitions(g), def];
    const used = new Set(defs.flatMap((d) => [...d.from, ...d.to]));
    const orphans = ((g.orphanCollections as string[]) ?? []).filter((o) => !used.has(o));
    return graphReply(ctx, saveGraph(ctx, g, { edgeDefinitions: defs, orphanCollections: orphans }));
  });

  r.on('PUT', '/_api/gharial/:g/edge/:coll', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const g = loadGraph(ctx.db, p.g as string);
    const def = parseDefinition(ctx.object());
    const defs = definitions(g);
    if (!defs.some((d) => d.collection === p.coll))
      throw new SimError(404, 1930, 'edge collection not used in graph');
    for (const v of [...def.from, ...def.to]) ensureCollection(ctx, v, 2);
    const next = defs.map((d) => (d.collection === p.coll ? def : d));
    const used = new Set(next.flatMap((d) => [...d.from, ...d.to]));
    const orphans = ((g.orphanCollections as string[]) ?? []).filter((o) => !used.has(o));
    return graphReply(ctx, saveGraph(ctx, g, { edgeDefinitions: next, orphanCollections: orphans }));
  });

  r.on('DELETE', '/_api/gharial/:g/edge/:coll', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const g = loadGraph(ctx.db, p.g as string);
    const defs = definitions(g);
    const removed = defs.find((d) => d.collection === p.coll);
    if (!removed) throw new SimError(404, 1930, 'edge collection not used in graph');
    const next = defs.filter((d) => d !== removed);
    const used = new Set(next.flatMap((d) => [...d.from, ...d.to]));
    const orphans = new Set((g.orphanCollections as string[]) ?? []);
    for (const v of [...removed.from, ...removed.to]) if (!used.has(v)) orphans.add(v);
    return graphReply(
      ctx,
      saveGraph(ctx, g, { edgeDefinitions: next, orphanCollections: [...orphans].sort() }),
    );
  });

  for (const kind of ['vertex', 'edge'] as const) {
    const edge = kind === 'edge';
    const status = (ctx: Ctx) => (ctx.flag('waitForSync') ? 201 : 202);
    r.on('POST', `/_api/gharial/:g/${kind}/:coll`, (ctx, p) => {
      const g = loadGraph(ctx.db, p.g as string);
      ctx.assertWritable(p.coll);
      const c = docCollection(ctx, g, p.coll as string, edge);
      const out = c.insert(ctx.object());
      const body: Record<string, unknown> = { _id: out.new._id, _key: out.new._key, _rev: out.new._rev };
      const extra = ctx.flag('returnNew') ? { new: out.new } : {};
      return ok({ [kind]: body, ...extra }, status(ctx), { etag: out.new._rev });
    });
    r.on('GET', `/_api/gharial/:g/${kind}/:coll/:key`, (ctx, p) => {
      const g = loadGraph(ctx.db, p.g as string);
      ctx.assertReadable(p.coll);
      const doc = docCollection(ctx, g, p.coll as string, edge).get(p.key as string);
      if (!doc) throw errors.documentNotFound();
      return ok({ [kind]: doc }, 200, { etag: doc._rev });
    });
    const modify = (replace: boolean) => (ctx: Ctx, p: Record<string, string>) => {
      const g = loadGraph(ctx.db, p.g as string);
      ctx.assertWritable(p.coll);
      const c = docCollection(ctx, g, p.coll as string, edge);
      const body = ctx.object();
      const out = replace
        ? c.replace(p.key as string, body)
        : c.update(p.key as string, body, { keepNull: ctx.flag('keepNull', true) });
      const res: Record<string, unknown> = {
        _id: out.new._id,
        _key: out.new._key,
        _oldRev: out.old._rev,
        _rev: out.new._rev,
      };
      const extra: Record<string, unknown> = {};
      if (ctx.flag('returnNew')) extra.new = out.new;
      if (ctx.flag('returnOld')) extra.old = out.old;
      return ok({ [kind]: res, ...extra }, status(ctx), { etag: out.new._rev });
    };
    r.on('PATCH', `/_api/gharial/:g/${kind}/:coll/:key`, modify(false));
    r.on('PUT', `/_api/gharial/:g/${kind}/:coll/:key`, modify(true));
    r.on('DELETE', `/_api/gharial/:g/${kind}/:coll/:key`, (ctx, p) => {
      const g = loadGraph(ctx.db, p.g as string);
      ctx.assertWritable(p.coll);
      const c = docCollection(ctx, g, p.coll as string, edge);
      const out = c.remove(p.key as string);
      if (!edge) {
        // Removing a vertex removes its edges in the graph's edge collections.
        for (const d of definitions(g)) {
          const ec = ctx.db.collections.get(d.collection);
          if (!ec) continue;
          const victims = [...ec.edges(out.old._id, 'outbound'), ...ec.edges(out.old._id, 'inbound')].map(
            (e) => e._key,
          );
          for (const k of new Set(victims)) ec.remove(k);
        }
      }
      const extra = ctx.flag('returnOld') ? { old: out.old } : {};
      return ok({ removed: true, ...extra }, ctx.flag('waitForSync') ? 200 : 202);
    });
  }
}
