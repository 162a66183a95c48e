/**
 * Scale benchmark of the ArangoDB simulator: 1,000,000 small documents through /_api/import
 * (arangojs collection.import in batches), a COLLECT over all of them, memory per document, and
 * reading them all back as a backup does (`FOR d IN coll RETURN d`, plain and streaming cursors).
 * Every figure is printed next to a baseline measured in the same run: the same documents
 * JSON.parse'd and put in a Map in-process, i.e. the floor any in-memory store pays.
 *
 *   node --import tsx bench/sim-import.ts [documents] [batchSize]
 */
import { performance } from 'node:perf_hooks';
import { aql, Database } from 'arangojs';
import { startSimulator } from '../packages/arangodb-sim/src/index.js';
import { figure } from './report.js';

const N = Number(process.argv[2] ?? 1_000_000);
const BATCH = Number(process.argv[3] ?? 10_000);
const STATUSES = ['active', 'running', 'stopped', 'error', 'inactive'];

function doc(i: number): Record<string, unknown> {
  return { _key: `d${i}`, status: STATUSES[i % STATUSES.length], n: i };
}

function rss(): number {
  globalThis.gc?.();
  return process.memoryUsage().rss;
}

interface Figures {
  seconds: number;
  bytes: number;
  collectSeconds: number;
  readSeconds: number;
}

interface Read {
  seconds: number;
  /** Heap the open cursor holds after its first batch (both measured after a full collection). */
  heldBytes: number;
}

async function baseline(): Promise<Figures> {
  const before = rss();
  const started = performance.now();
  const store = new Map<string, Record<string, unknown>>();
  for (let from = 0; from < N; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(N, from + BATCH); i++) batch.push(doc(i));
    for (const d of JSON.parse(JSON.stringify(batch)) as Record<string, unknown>[])
      store.set(d._key as string, d);
  }
  const seconds = (performance.now() - started) / 1000;
  const bytes = rss() - before;
  const c0 = performance.now();
  const counts = new Map<unknown, number>();
  for (const d of store.values()) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
  const collectSeconds = (performance.now() - c0) / 1000;
  // Reading back: every document serialised and parsed once, in batches.
  const r0 = performance.now();
  let batch: unknown[] = [];
  for (const d of store.values()) {
    batch.push(d);
    if (batch.length === BATCH) {
      JSON.parse(JSON.stringify(batch));
      batch = [];
    }
  }
  JSON.parse(JSON.stringify(batch));
  const readSeconds = (performance.now() - r0) / 1000;
  store.clear();
  return { seconds, bytes, collectSeconds, readSeconds };
}

async function readAll(db: Database, name: string, stream: boolean): Promise<Read> {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  let heldBytes = 0;
  let paused = 0;
  const started = performance.now();
  const cursor = await db.query(`FOR d IN ${name} RETURN d`, {}, { stream, batchSize: BATCH });
  let n = 0;
  for await (const batch of cursor.batches) {
    if (n === 0) {
      const p0 = performance.now();
      globalThis.gc?.();
      heldBytes = process.memoryUsage().heapUsed - before;
      paused = performance.now() - p0;
    }
    n += batch.length;
  }
  if (n !== N) throw new Error(`read ${n} of ${N} documents`);
  return { seconds: (performance.now() - started - paused) / 1000, heldBytes };
}

async function simulator(): Promise<Figures & { plain: Read; streaming: Read }> {
  const sim = await startSimulator({ version: '3.12.10' });
  try {
    const db = new Database({ url: sim.url });
    const coll = await db.createCollection('bench');
    const before = rss();
    const started = performance.now();
    for (let from = 0; from < N; from += BATCH) {
      const batch = [];
      for (let i = from; i < Math.min(N, from + BATCH); i++) batch.push(doc(i));
      const r = await coll.import(batch);
      if (r.created !== batch.length) throw new Error(`import created ${r.created} of ${batch.length}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const bytes = rss() - before;
    const c0 = performance.now();
    const cursor = await db.query(aql`FOR d IN ${coll} COLLECT s = d.status WITH COUNT INTO n RETURN {s, n}`);
    const groups = await cursor.all();
    const collectSeconds = (performance.now() - c0) / 1000;
    if (groups.reduce((a, g) => a + (g as { n: number }).n, 0) !== N)
      throw new Error('COLLECT lost documents');
    // Alternate the two and keep the faster time of each, so neither pays for warming the JIT alone.
    const best = (a: Read, b: Read): Read => ({
      seconds: Math.min(a.seconds, b.seconds),
      heldBytes: Math.max(a.heldBytes, b.heldBytes),
    });
    let plain = await readAll(db, coll.name, false);
    let streaming = await readAll(db, coll.name, true);
    plain = best(plain, await readAll(db, coll.name, false));
    streaming = best(streaming, await readAll(db, coll.name, true));
    return { seconds, bytes, collectSeconds, readSeconds: plain.seconds, plain, streaming };
  } finally {
    await sim.stop();
  }
}

const base = await baseline();
const sim = await simulator();
const rate = (s: number) => Math.round(N / s);
console.log(
  `documents: ${N}, import batch: ${BATCH}${globalThis.gc ? '' : ' (run with --expose-gc for steadier memory figures)'}`,
);
const IN_PROCESS = 'Map in-process';
figure('sim', {
  name: 'import',
  value: rate(sim.seconds),
  unit: 'docs/s',
  baseline: { name: IN_PROCESS, value: rate(base.seconds) },
  ratio: base.seconds / sim.seconds,
});
figure('sim', {
  name: 'COLLECT',
  value: sim.collectSeconds,
  unit: 's',
  baseline: { name: IN_PROCESS, value: base.collectSeconds },
  ratio: sim.collectSeconds / base.collectSeconds,
});
figure('sim', {
  name: 'RSS per document',
  value: sim.bytes / N,
  unit: 'B',
  baseline: { name: IN_PROCESS, value: base.bytes / N },
  ratio: sim.bytes / Math.max(1, base.bytes),
});
figure('sim', {
  name: 'read all (plain cursor)',
  value: rate(sim.plain.seconds),
  unit: 'docs/s',
  baseline: { name: IN_PROCESS, value: rate(base.readSeconds) },
  ratio: base.readSeconds / sim.plain.seconds,
});
figure('sim', {
  name: 'read all (streaming cursor)',
  value: rate(sim.streaming.seconds),
  unit: 'docs/s',
  baseline: { name: 'plain cursor', value: rate(sim.plain.seconds) },
  ratio: sim.plain.seconds / sim.streaming.seconds,
});
figure('sim', {
  name: 'heap held, streaming cursor',
  value: sim.streaming.heldBytes / 2 ** 20,
  unit: 'MiB',
  baseline: { name: 'plain cursor', value: sim.plain.heldBytes / 2 ** 20 },
  ratio: sim.streaming.heldBytes / Math.max(1, sim.plain.heldBytes),
});
