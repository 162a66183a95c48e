/**
 * Backup benchmark, printed (never asserted), every figure beside a baseline from the same run:
 *  (a) the format pipeline alone — JSON lines → gzip → Encryption SDK → null sink — in MB/s of
 *      JSON, as a ratio to `gzip -6` compressing the same bytes (target ≥ 0.7), with CPU time over
 *      wall time to show whether both cores work (zlib runs on libuv's pool, encryption on the main thread);
 *  (b) peak RSS of a backup process taking 200k and 2M simulator documents into a local folder
 *      (target: 2M < 1.2 × 200k and < 256 MB) — the simulator runs in its own process;
 *  (c) end-to-end documents per second from the simulator.
 *
 *   tsc -b && node --import tsx bench/backup.ts [small] [large]     (npm run bench:backup)
 *   BENCH_TRACE_MEMORY=1 prints the backup process's memory every second; with
 *   NODE_OPTIONS=--max-old-space-size=128 V8 collects earlier and the peak stays flat.
 */
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { backupCipher, loadBackupKey, openStore, runBackup } from '@arangops/backup';
import { arangoConfigSchema, awsConfigSchema, createArangoConnection } from '@arangops/core';
import { figure } from './report.js';

const SMALL = Number(process.argv[2] ?? 200_000);
const LARGE = Number(process.argv[3] ?? 2_000_000);
const PIPELINE_BYTES = 96 * 1024 * 1024;
const PASSWORD = 'bench-pw';
const self = fileURLToPath(import.meta.url);
const aws = awsConfigSchema.parse({});
const MB = 1024 * 1024;

const STATUSES = ['active', 'running', 'stopped', 'error', 'inactive'];
function doc(i: number) {
  return {
    _key: `d${i}`,
    status: STATUSES[i % STATUSES.length],
    n: i,
    name: `agent-${i.toString(36)}`,
    tags: [`t${i % 17}`, `t${i % 5}`],
    createdAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
  };
}

function keyFile(dir: string): string {
  const file = join(dir, 'bench.key');
  writeFileSync(file, randomBytes(32).toString('base64'));
  return file;
}

/** JSON lines in ~1 MiB chunks, as a collection's batches arrive. */
function jsonLines(bytes: number): Buffer[] {
  const chunks: Buffer[] = [];
  let total = 0;
  let i = 0;
  while (total < bytes) {
    let text = '';
    while (text.length < MB) text += `${JSON.stringify(doc(i++))}\n`;
    const chunk = Buffer.from(text);
    chunks.push(chunk);
    total += chunk.length;
  }
  return chunks;
}

const nullSink = () =>
  new Writable({
    write(_c, _e, done) {
      done();
    },
  });

async function measure(fn: () => Promise<void>): Promise<{ seconds: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, cpu: (cpu.user + cpu.system) / 1e6 };
}

async function formatPipeline(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arangops-bench-backup-'));
  try {
    const chunks = jsonLines(PIPELINE_BYTES);
    const bytes = chunks.reduce((a, c) => a + c.length, 0);
    const file = join(dir, 'lines.json');
    writeFileSync(file, Buffer.concat(chunks));
    const cipher = backupCipher(await loadBackupKey({ keyFile: keyFile(dir) }, aws), {
      database: 'bench',
      backupId: 'bench',
    });
    // Warm-up (JIT, data key).
    await pipeline(Readable.from(chunks.slice(0, 4)), createGzip(), cipher.encryptStream(), nullSink());

    const gzipRun = async () => {
      const child = spawn('gzip', ['-6', '-c', file], { stdio: ['ignore', 'ignore', 'inherit'] });
      const [code] = await once(child, 'exit');
      if (code !== 0) throw new Error(`gzip exited ${code}`);
    };
    const ours = async () => {
      await pipeline(Readable.from(chunks), createGzip(), cipher.encryptStream(), nullSink());
    };
    const gzipOnly = async () => {
      await pipeline(Readable.from(chunks), createGzip(), nullSink());
    };
    // Interleaved, best of three each: the machine is shared.
    const best = { gzip: Infinity, ours: Infinity, zlib: Infinity, oursCpu: 0 };
    for (let round = 0; round < 3; round++) {
      best.gzip = Math.min(best.gzip, (await measure(gzipRun)).seconds);
      const o = await measure(ours);
      if (o.seconds < best.ours) Object.assign(best, { ours: o.seconds, oursCpu: o.cpu });
      best.zlib = Math.min(best.zlib, (await measure(gzipOnly)).seconds);
    }
    const mbs = (s: number) => bytes / MB / s;
    console.log(
      `(a) format pipeline on ${(bytes / MB).toFixed(0)} MiB of JSON lines (best of 3, interleaved)`,
    );
    figure('backup', {
      name: 'lines → gzip → ESDK → null',
      value: mbs(best.ours),
      unit: 'MB/s',
      baseline: { name: 'gzip -6', value: mbs(best.gzip) },
      ratio: best.gzip / best.ours,
      target: '≥ 0.7',
    });
    figure('backup', {
      name: 'node zlib alone',
      value: mbs(best.zlib),
      unit: 'MB/s',
      baseline: { name: 'gzip -6', value: mbs(best.gzip) },
      ratio: best.gzip / best.zlib,
    });
    console.log(
      `    CPU time / wall time            ${(best.oursCpu / best.ours).toFixed(2)} (above 1.0: more than one core busy)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Child: a simulator holding `n` documents in codevaldcortex.bench, until the parent disconnects. */
async function serveSimulator(n: number): Promise<void> {
  const { startSimulator } = await import('@arangops/arangodb-sim');
  const { Database } = await import('arangojs');
  const sim = await startSimulator({ version: '3.12.10', auth: { users: { root: PASSWORD } } });
  const db = new Database({ url: sim.url, auth: { username: 'root', password: PASSWORD } });
  await db.createDatabase('bench');
  const coll = await db.database('bench').createCollection('docs');
  for (let from = 0; from < n; from += 10_000) {
    const batch = [];
    for (let i = from; i < Math.min(n, from + 10_000); i++) batch.push(doc(i));
    await coll.import(batch);
  }
  process.send!({ url: sim.url });
  process.on('disconnect', () => void sim.stop().then(() => process.exit(0)));
}

/** Child: one backup; reports its peak RSS and throughput. */
async function backupOnce(url: string, dir: string): Promise<void> {
  const connection = createArangoConnection(
    arangoConfigSchema.parse({ url: [url], password: PASSWORD, retries: { max: 0 } }),
  );
  const key = await loadBackupKey({ keyFile: keyFile(dir) }, aws);
  const store = openStore(pathToFileURL(join(dir, 'store')).href, { aws });
  const t0 = performance.now();
  const trace = process.env.BENCH_TRACE_MEMORY
    ? setInterval(() => {
        const m = process.memoryUsage();
        console.error(
          `rss ${(m.rss / MB).toFixed(0)} heap ${(m.heapUsed / MB).toFixed(0)}/${(m.heapTotal / MB).toFixed(0)} ext ${(m.external / MB).toFixed(0)} ab ${(m.arrayBuffers / MB).toFixed(0)}`,
        );
      }, 1000)
    : undefined;
  const result = await runBackup({ connection, database: 'bench', store, key, toolVersion: 'bench' });
  clearInterval(trace);
  const seconds = (performance.now() - t0) / 1000;
  connection.close();
  process.send!({
    documents: result.documents,
    seconds,
    storedBytes: result.storedBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  });
}

interface BackupFigures {
  documents: number;
  seconds: number;
  storedBytes: number;
  maxRssBytes: number;
}

async function endToEnd(n: number): Promise<BackupFigures> {
  // Packages load from dist/ (built by the npm script), as in production: only this file goes through tsx.
  const execArgv = ['--import', 'tsx'];
  const sim = fork(self, ['--serve', String(n)], { execArgv });
  const [{ url }] = (await once(sim, 'message')) as [{ url: string }];
  const dir = mkdtempSync(join(tmpdir(), 'arangops-bench-backup-'));
  try {
    const child = fork(self, ['--backup', url, dir], { execArgv });
    const [figures] = (await once(child, 'message')) as [BackupFigures];
    await once(child, 'exit');
    return figures;
  } finally {
    sim.disconnect();
    await once(sim, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `backup benchmark (node ${process.version}); the machine is shared, figures are ratios within this run\n`,
  );
  await formatPipeline();
  const small = await endToEnd(SMALL);
  const large = await endToEnd(LARGE);
  const docs = (f: { documents: number }) => f.documents.toLocaleString('en');
  console.log(`\n(b) peak RSS of the backup process (simulator in its own process)`);
  figure('backup', {
    name: `peak RSS, ${docs(large)} docs`,
    value: large.maxRssBytes / MB,
    unit: 'MiB',
    baseline: { name: `${docs(small)} docs`, value: small.maxRssBytes / MB },
    ratio: large.maxRssBytes / small.maxRssBytes,
    target: '< 1.2, and < 256 MiB',
  });
  console.log(`\n(c) end to end from the simulator into a local folder`);
  for (const f of [small, large]) {
    figure('backup', { name: `end to end, ${docs(f)} docs`, value: f.documents / f.seconds, unit: 'docs/s' });
    console.log(`    ${(f.storedBytes / MB).toFixed(1)} MiB stored`);
  }
}

const [mode, a, b] = process.argv.slice(2);
if (mode === '--serve') await serveSimulator(Number(a));
else if (mode === '--backup') await backupOnce(a!, b!);
else await main();
