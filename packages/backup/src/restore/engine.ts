/**
 * The restore engine: a dumped database into a database that does not exist
 * yet, through arangojs. Order as arangorestore's (collections, analyzers,
 * indexes, views, graphs, then data), documents through `/_api/import` in
 * batches, at most `parallel` requests in flight. System collections are
 * never restored: `_analyzers` and `_graphs` are read for their definitions,
 * every other one (`_users` first of all) is skipped and listed.
 */
import { type ArangoConnection, InputError, isArangoServerError, toArangopsError } from '@arangops/core';
import type { Database } from 'arangojs';
import type { DumpCollection, DumpDatabase, DumpFiles } from '../source/index.js';
import { DumpLineError, dumpOperations } from '../source/index.js';
import { DEFAULT_RESTORE_PARALLEL } from '../verify/config.js';
import { createLimiter } from './limit.js';
import {
  analyzerDefinition,
  collectionOptions,
  graphDefinition,
  indexDefinitions,
  type Placement,
  viewDefinition,
} from './structure.js';

export interface RestoreOptions {
  connection: ArangoConnection;
  /** The database to create; it must not exist. Callers guard the name. */
  database: string;
  files: DumpFiles;
  dump: DumpDatabase;
  placement?: Partial<Placement>;
  /** Import requests in flight at once. */
  parallel?: number;
  /** Bytes of JSON lines per import request. */
  batchBytes?: number;
  signal?: AbortSignal;
  onProgress?: (progress: RestoreProgress) => void;
}

export interface RestoreProgress {
  collection: string;
  documents: number;
}

export interface RestoredCollection {
  name: string;
  type: 'document' | 'edge';
  /** Documents the server created. */
  documents: number;
  /** Documents the server refused, with the first reasons. */
  errors: number;
  errorSamples: string[];
}

export interface RestoreSummary {
  database: string;
  collections: RestoredCollection[];
  views: string[];
  analyzers: string[];
  graphs: string[];
  /** System collections left out, and why. */
  skipped: { name: string; reason: string }[];
  documents: number;
}

/** ArangoDB's "duplicate name" (database or collection exists). */
const DUPLICATE_NAME = 1207;
const DOCUMENT_NOT_FOUND = 1202;
const DEFAULT_BATCH_BYTES = 1 << 20;
const ERROR_SAMPLES = 5;
/** System collections whose documents are definitions the engine recreates by API. */
const DEFINITION_COLLECTIONS = new Set(['_analyzers', '_graphs']);

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreSummary> {
  const { connection, database, dump, files } = options;
  const placement: Placement = { replicationFactor: 1, sharding: 'smallest', ...options.placement };
  const system = connection.database('_system');
  await connection.withRetry('create database', async () => {
    try {
      await system.createDatabase(database);
    } catch (e) {
      if (isArangoServerError(toArangopsError(e), DUPLICATE_NAME)) {
        throw new InputError(`database "${database}" already exists; restore only creates new databases`, {
          field: 'database',
        });
      }
      throw e;
    }
  });
  const db = connection.database(database);
  const user = dump.collections.filter((c) => !c.isSystem);
  const skipped = dump.collections
    .filter((c) => c.isSystem && !DEFINITION_COLLECTIONS.has(c.name))
    .map((c) => ({ name: c.name, reason: 'system collection (never restored)' }));

  // Edges after documents, followers of distributeShardsLike after their prototype, as arangorestore orders them.
  const ordered = [...user].sort(
    (a, b) =>
      Number(Boolean(a.parameters.distributeShardsLike)) -
        Number(Boolean(b.parameters.distributeShardsLike)) ||
      Number(a.type === 'edge') - Number(b.type === 'edge') ||
      a.name.localeCompare(b.name),
  );
  for (const c of ordered) {
    options.signal?.throwIfAborted();
    await connection.withRetry(`create collection ${c.name}`, () =>
      db.createCollection(c.name, collectionOptions(c, placement) as never),
    );
  }

  const analyzers: string[] = [];
  for (const doc of await definitionDocuments(files, dump, '_analyzers')) {
    const def = analyzerDefinition(doc);
    if (!def) continue;
    const { name, ...body } = def;
    await connection.withRetry(`create analyzer ${name}`, () => db.analyzer(name).create(body as never));
    analyzers.push(name);
  }

  for (const c of ordered) {
    for (const def of indexDefinitions(c)) {
      options.signal?.throwIfAborted();
      await connection.withRetry(`create index on ${c.name}`, () =>
        db.collection(c.name).ensureIndex(def as never),
      );
    }
  }

  const views: string[] = [];
  for (const v of dump.views) {
    await connection.withRetry(`create view ${v.name}`, () =>
      db.createView(v.name, viewDefinition(v.definition) as never),
    );
    views.push(v.name);
  }

  const graphs: string[] = [];
  for (const doc of await definitionDocuments(files, dump, '_graphs')) {
    const g = graphDefinition(doc);
    if (!g) continue;
    await connection.withRetry(`create graph ${g.name}`, () =>
      db.graph(g.name).create(g.edgeDefinitions, { orphanCollections: g.orphanCollections }),
    );
    graphs.push(g.name);
  }

  const limit = createLimiter(Math.max(1, options.parallel ?? DEFAULT_RESTORE_PARALLEL));
  const collections = await Promise.all(
    ordered.map((c) => limit(() => restoreDocuments(db, connection, files, c, options))),
  );
  return {
    database,
    collections,
    views,
    analyzers: analyzers.sort(),
    graphs: graphs.sort(),
    skipped,
    documents: collections.reduce((sum, c) => sum + c.documents, 0),
  };
}

async function definitionDocuments(
  files: DumpFiles,
  dump: DumpDatabase,
  name: string,
): Promise<Record<string, unknown>[]> {
  const c = dump.collections.find((x) => x.name === name);
  if (!c) return [];
  const docs = new Map<string, Record<string, unknown>>();
  for (const path of c.dataPaths) {
    for await (const op of dumpOperations(files, path)) {
      if (op.op === 'remove') docs.delete(op.key);
      else {
        const doc = JSON.parse(op.text) as Record<string, unknown>;
        docs.set(String(doc._key), doc);
      }
    }
  }
  return [...docs.values()];
}

/**
 * Plain lines go out in batches as they come; envelope lines (which may
 * replace and remove keys) in order, a removal waiting for the batch before it.
 */
async function restoreDocuments(
  db: Database,
  connection: ArangoConnection,
  files: DumpFiles,
  c: DumpCollection,
  options: RestoreOptions,
): Promise<RestoredCollection> {
  const result: RestoredCollection = {
    name: c.name,
    type: c.type,
    documents: 0,
    errors: 0,
    errorSamples: [],
  };
  const collection = db.collection(c.name);
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  let lines: string[] = [];
  let bytes = 0;
  let ordered = false;
  const flush = async () => {
    if (lines.length === 0) return;
    const body = lines.join('\n');
    lines = [];
    bytes = 0;
    options.signal?.throwIfAborted();
    const res = await connection.withRetry(`import into ${c.name}`, () =>
      collection.import(body, {
        type: 'documents',
        details: true,
        // Envelope dumps may repeat a key: the later line wins, as in arangorestore.
        onDuplicate: ordered ? 'replace' : 'error',
      }),
    );
    result.documents += res.created;
    result.errors += res.errors;
    for (const d of res.details ?? []) {
      if (result.errorSamples.length < ERROR_SAMPLES) result.errorSamples.push(d);
    }
    options.onProgress?.({ collection: c.name, documents: result.documents });
  };
  try {
    for (const path of c.dataPaths) {
      for await (const op of dumpOperations(files, path)) {
        if (op.op === 'remove') {
          ordered = true;
          await flush();
          await connection.withRetry(`remove from ${c.name}`, async () => {
            try {
              await collection.remove(op.key);
              result.documents -= 1;
            } catch (e) {
              if (!isArangoServerError(toArangopsError(e), DOCUMENT_NOT_FOUND)) throw e;
            }
          });
          continue;
        }
        if (op.key !== undefined) ordered = true;
        lines.push(op.text);
        bytes += op.text.length + 1;
        if (bytes >= batchBytes) await flush();
      }
    }
    await flush();
  } catch (e) {
    if (e instanceof DumpLineError) {
      result.errors += 1;
      if (result.errorSamples.length < ERROR_SAMPLES) result.errorSamples.push(e.message);
      return result;
    }
    throw e;
  }
  return result;
}
