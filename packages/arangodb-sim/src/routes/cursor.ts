import { SimError } from '../aql/host.js';
import { executeQuery, explainQuery } from '../aql/index.js';
import type { Ctx } from '../http/context.js';
import { json, type Reply } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { Instance } from '../instance.js';
import { errors } from '../storage/errors.js';
import { hasDocumentLookups, hasSearchParallelism, type VersionInfo } from '../version.js';

interface CursorRecord {
  id: string;
  result: unknown[];
  batchSize: number;
  /** Index into `result` of the next undelivered item. */
  pos: number;
  /** Id of the batch delivered last. */
  batchId: number;
  lastBatch: unknown[];
  count?: number;
  extra: Record<string, unknown>;
  ttlMs: number;
  expiresAt: number;
  allowRetry: boolean;
}

const DEFAULT_TTL_S = 30;
const DEFAULT_BATCH_SIZE = 1000;

const cursorsByInstance = new WeakMap<Instance, Map<string, CursorRecord>>();

function cursors(inst: Instance): Map<string, CursorRecord> {
  let m = cursorsByInstance.get(inst);
  if (!m) {
    m = new Map();
    cursorsByInstance.set(inst, m);
  }
  return m;
}

/** Shapes the engine's counters into the stats object of this server version (notes/http-examples.md §3). */
export function shapeStats(
  v: VersionInfo,
  raw: Record<string, unknown>,
  fullCount: number | undefined,
  nodes: unknown[] | undefined,
): Record<string, unknown> {
  const n = (k: string): number => (typeof raw[k] === 'number' ? (raw[k] as number) : 0);
  const s: Record<string, unknown> = {
    writesExecuted: n('writesExecuted'),
    writesIgnored: n('writesIgnored'),
  };
  if (hasDocumentLookups(v)) Object.assign(s, { documentLookups: n('documentLookups'), seeks: n('seeks') });
  Object.assign(s, { scannedFull: n('scannedFull'), scannedIndex: n('scannedIndex') });
  if (hasSearchParallelism(v)) s.searchParallelism = 1;
  Object.assign(s, {
    cursorsCreated: n('cursorsCreated'),
    cursorsRearmed: n('cursorsRearmed'),
    cacheHits: n('cacheHits'),
    cacheMisses: n('cacheMisses'),
    filtered: n('filtered'),
    httpRequests: 0,
  });
  if (fullCount !== undefined) s.fullCount = fullCount;
  Object.assign(s, {
    executionTime: n('executionTime'),
    peakMemoryUsage: n('peakMemoryUsage'),
    intermediateCommits: 0,
  });
  if (nodes) s.nodes = nodes;
  return s;
}

function batchBody(
  rec: CursorRecord,
  batch: unknown[],
  hasMore: boolean,
  status: number,
): Record<string, unknown> {
  const body: Record<string, unknown> = { result: batch, hasMore };
  if (hasMore) {
    body.id = rec.id;
    if (rec.count !== undefined) body.count = rec.count;
    body.extra = rec.extra;
    body.cached = false;
    body.nextBatchId = String(rec.batchId + 1);
  } else {
    if (rec.count !== undefined) body.count = rec.count;
    body.cached = false;
    body.extra = rec.extra;
  }
  body.error = false;
  body.code = status;
  return body;
}

function nextBatch(inst: Instance, rec: CursorRecord, status: number): Reply {
  const batch = rec.result.slice(rec.pos, rec.pos + rec.batchSize);
  rec.pos += batch.length;
  rec.batchId += 1;
  rec.lastBatch = batch;
  const hasMore = rec.pos < rec.result.length;
  rec.expiresAt = inst.clock() + rec.ttlMs;
  if (!hasMore && !rec.allowRetry) cursors(inst).delete(rec.id);
  return json(batchBody(rec, batch, hasMore, status), status);
}

function live(inst: Instance, id: string): CursorRecord {
  const rec = cursors(inst).get(id);
  if (!rec) throw errors.cursorNotFound();
  if (inst.clock() > rec.expiresAt) {
    cursors(inst).delete(id);
    throw errors.cursorNotFound();
  }
  return rec;
}

function profileTimes(total: number): Record<string, number> {
  return {
    initializing: 0.000002,
    parsing: 0.00002,
    'optimizing ast': 0.000003,
    'loading collections': 0.000007,
    'instantiating plan': 0.00001,
    'optimizing plan': 0.00005,
    'instantiating executors': 0.00002,
    executing: total,
    finalizing: 0.00003,
  };
}

export function cursorRoutes(r: Router): void {
  r.on('POST', '/_api/cursor', (ctx: Ctx) => {
    if (!ctx.hasBody) throw errors.queryEmpty();
    const body = ctx.object();
    const query = body.query;
    if (typeof query !== 'string' || query.trim() === '') throw errors.queryEmpty();
    ctx.assertReadable();
    const options = (body.options ?? {}) as Record<string, unknown>;
    const bindVars = (body.bindVars ?? {}) as Record<string, unknown>;
    const inst = ctx.server;
    const host = ctx.db.host((c) => ctx.assertWritable(c), inst.clock, inst.version.full);
    const profile = options.profile as boolean | number | undefined;
    const memoryLimit = (body.memoryLimit ?? options.memoryLimit) as number | undefined;
    const out = executeQuery(host, query, bindVars, {
      fullCount: options.fullCount === true,
      ...(profile !== undefined ? { profile } : {}),
      ...(typeof memoryLimit === 'number' && memoryLimit > 0 ? { memoryLimit } : {}),
    });
    const raw = out.stats as unknown as Record<string, unknown>;
    const nodes = profile ? (Array.isArray(raw.nodes) ? (raw.nodes as unknown[]) : []) : undefined;
    const extra: Record<string, unknown> = {
      warnings: out.warnings,
      stats: shapeStats(
        inst.version,
        raw,
        options.fullCount === true ? (out.fullCount ?? out.result.length) : undefined,
        nodes,
      ),
    };
    if (profile) {
      extra.plan = explainQuery(host, query, bindVars).plan;
      extra.profile = profileTimes(typeof raw.executionTime === 'number' ? raw.executionTime : 0);
    }
    const batchSize =
      typeof body.batchSize === 'number' && body.batchSize > 0 ? body.batchSize : DEFAULT_BATCH_SIZE;
    const ttlS = typeof body.ttl === 'number' && body.ttl > 0 ? body.ttl : DEFAULT_TTL_S;
    const rec: CursorRecord = {
      id: String(inst.ids.tick()),
      result: out.result,
      batchSize,
      pos: 0,
      batchId: 0,
      lastBatch: [],
      extra,
      ttlMs: ttlS * 1000,
      expiresAt: 0,
      allowRetry: options.allowRetry === true,
    };
    if (body.count === true) rec.count = out.result.length;
    // Abandoned cursors would otherwise live forever: drop the expired ones whenever one is made.
    const now = inst.clock();
    for (const [id, c] of cursors(inst)) if (c.expiresAt > 0 && now > c.expiresAt) cursors(inst).delete(id);
    cursors(inst).set(rec.id, rec);
    return nextBatch(inst, rec, 201);
  });

  const next = (ctx: Ctx, p: Record<string, string>): Reply =>
    nextBatch(ctx.server, live(ctx.server, p.id as string), 200);
  r.on('PUT', '/_api/cursor/:id', next);
  r.on('POST', '/_api/cursor/:id', next);
  r.on('PUT', '/_api/cursor', () => {
    throw new SimError(400, 400, 'expecting POST /_api/cursor/<cursor-id>');
  });

  r.on('POST', '/_api/cursor/:id/:batchId', (ctx, p) => {
    const inst = ctx.server;
    const rec = live(inst, p.id as string);
    const wanted = Number(p.batchId);
    if (wanted === rec.batchId + 1) return nextBatch(inst, rec, 200);
    if (wanted !== rec.batchId) throw new SimError(400, 1600, 'batch id not found');
    const hasMore = rec.pos < rec.result.length;
    return json(batchBody(rec, rec.lastBatch, hasMore, 200), 200);
  });

  r.on('DELETE', '/_api/cursor/:id', (ctx, p) => {
    const id = p.id as string;
    live(ctx.server, id);
    cursors(ctx.server).delete(id);
    return json({ id, error: false, code: 202 }, 202);
  });
}
