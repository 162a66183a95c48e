import { type AqlHost, SimError } from '../aql/host.js';
import { explainQuery, type QueryRun, startQuery } from '../aql/index.js';
import { assertReachable } from '../cluster/availability.js';
import type { Ctx } from '../http/context.js';
import { json, type Reply } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { Instance } from '../instance.js';
import { queryList, RunningQuery } from '../query-list.js';
import type { Database } from '../storage/database.js';
import { errors } from '../storage/errors.js';
import { hasDocumentLookups, hasSearchParallelism, type VersionInfo } from '../version.js';

interface CursorRecord {
  id: string;
  run: QueryRun;
  tracked: RunningQuery;
  /** Runs the query's end: extra (stats, warnings, profile) and leaving the running-query list. */
  extra: () => Record<string, unknown>;
  batchSize: number;
  /** Id of the batch delivered last. */
  batchId: number;
  lastBatch: unknown[];
  lastHasMore: boolean;
  /** Streaming cursors report `extra` with their last batch only, and never `count`. */
  stream: boolean;
  countWanted: boolean;
  count?: number;
  ttlMs: number;
  expiresAt: number;
  allowRetry: boolean;
  /** A batch is being produced (it may be waiting out a SLEEP). */
  busy: boolean;
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
  const extra = !rec.stream || !hasMore ? rec.extra() : undefined;
  if (hasMore) {
    body.id = rec.id;
    if (rec.count !== undefined) body.count = rec.count;
    if (extra) body.extra = extra;
    body.cached = false;
    body.nextBatchId = String(rec.batchId + 1);
  } else {
    if (rec.count !== undefined) body.count = rec.count;
    body.cached = false;
    if (extra) body.extra = extra;
  }
  body.error = false;
  body.code = status;
  return body;
}

/** The query's view of the database, refusing collections with an unreachable shard (503/1478). */
function reachableHost(inst: Instance, host: AqlHost, db: Database): AqlHost {
  if (!inst.cluster) return host;
  return Object.assign(Object.create(host) as AqlHost, {
    collection(name: string) {
      const c = db.lookup(name);
      if (c) assertReachable(inst, c.props.sharding);
      return host.collection(name);
    },
  });
}

/** Ends a query that failed or was abandoned: it leaves the running list (and may join the slow one). */
function abandon(inst: Instance, rec: CursorRecord, exitCode: number): void {
  cursors(inst).delete(rec.id);
  rec.tracked.queryList.finish(rec.tracked, exitCode);
}

/**
 * Produces the next batch: evaluates as far as it needs, then waits out what SLEEP() asked for, so
 * the reply comes as late as a server's would while other requests go on.
 */
async function nextBatch(inst: Instance, rec: CursorRecord, status: number): Promise<Reply> {
  if (rec.busy) throw new SimError(409, 1601, 'cursor is busy');
  rec.busy = true;
  let batch: unknown[];
  try {
    rec.tracked.check();
    const slept = rec.run.slept;
    batch = rec.run.next(rec.batchSize);
    if (rec.countWanted) rec.count ??= batch.length + rec.run.pending;
    const owed = rec.run.slept - slept;
    if (owed > 0) await rec.tracked.wait(owed * 1000);
    rec.tracked.check();
  } catch (e) {
    abandon(inst, rec, e instanceof SimError ? e.errorNum : 4);
    throw e;
  } finally {
    rec.busy = false;
  }
  rec.batchId += 1;
  rec.lastBatch = batch;
  const hasMore = !rec.run.done;
  rec.lastHasMore = hasMore;
  rec.expiresAt = inst.clock() + rec.ttlMs;
  if (!hasMore && !rec.allowRetry) cursors(inst).delete(rec.id);
  return json(batchBody(rec, batch, hasMore, status), status);
}

function live(inst: Instance, id: string): CursorRecord {
  const rec = cursors(inst).get(id);
  if (!rec) throw errors.cursorNotFound();
  if (inst.clock() > rec.expiresAt) {
    abandon(inst, rec, 0);
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
    const db = ctx.db;
    const host = reachableHost(
      inst,
      db.host((c) => ctx.assertWritable(c), inst.clock, inst.version.full),
      db,
    );
    const profile = options.profile as boolean | number | undefined;
    const memoryLimit = (body.memoryLimit ?? options.memoryLimit) as number | undefined;
    const stream = options.stream === true;
    const fullCount = options.fullCount === true;
    const run = startQuery(host, query, bindVars, {
      fullCount,
      lazy: stream,
      failOnWarning: options.failOnWarning === true,
      ...(profile !== undefined ? { profile } : {}),
      ...(typeof memoryLimit === 'number' && memoryLimit > 0 ? { memoryLimit } : {}),
    });
    const id = String(inst.ids.tick());
    const list = queryList(db);
    const maxRuntime =
      typeof options.maxRuntime === 'number' && options.maxRuntime > 0 ? options.maxRuntime : 0;
    const tracked = new RunningQuery(
      id,
      db.name,
      ctx.user ?? '',
      query,
      bindVars,
      stream,
      inst.clock(),
      maxRuntime,
      () => run.peakMemoryUsage,
      list,
    );
    list.track(tracked);
    let extra: Record<string, unknown> | undefined;
    const batchSize =
      typeof body.batchSize === 'number' && body.batchSize > 0 ? body.batchSize : DEFAULT_BATCH_SIZE;
    const ttlS = typeof body.ttl === 'number' && body.ttl > 0 ? body.ttl : DEFAULT_TTL_S;
    const rec: CursorRecord = {
      id,
      run,
      tracked,
      extra: () => {
        if (extra) return extra;
        list.finish(tracked, 0);
        const out = run.summary();
        const raw = out.stats as unknown as Record<string, unknown>;
        const nodes = profile ? (Array.isArray(raw.nodes) ? (raw.nodes as unknown[]) : []) : undefined;
        extra = {
          warnings: out.warnings,
          stats: shapeStats(inst.version, raw, fullCount ? out.fullCount : undefined, nodes),
        };
        if (profile) {
          extra.plan = explainQuery(host, query, bindVars).plan;
          extra.profile = profileTimes(typeof raw.executionTime === 'number' ? raw.executionTime : 0);
        }
        return extra;
      },
      batchSize,
      batchId: 0,
      lastBatch: [],
      lastHasMore: true,
      stream,
      countWanted: body.count === true && !stream,
      ttlMs: ttlS * 1000,
      expiresAt: 0,
      allowRetry: options.allowRetry === true,
      busy: false,
    };
    // Abandoned cursors would otherwise live forever: drop the expired ones whenever one is made.
    const now = inst.clock();
    for (const c of cursors(inst).values()) if (c.expiresAt > 0 && now > c.expiresAt) abandon(inst, c, 0);
    cursors(inst).set(rec.id, rec);
    return nextBatch(inst, rec, 201);
  });

  const next = (ctx: Ctx, p: Record<string, string>): Promise<Reply> =>
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
    return json(batchBody(rec, rec.lastBatch, rec.lastHasMore, 200), 200);
  });

  r.on('DELETE', '/_api/cursor/:id', (ctx, p) => {
    const id = p.id as string;
    abandon(ctx.server, live(ctx.server, id), 0);
    return json({ id, error: false, code: 202 }, 202);
  });
}
