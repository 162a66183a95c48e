/**
 * Verifier benchmark, every figure next to a baseline measured in the same run:
 *  (a) cheap checks on an arangops backup (download from a folder store, authenticated
 *      decryption, SHA-256 of stored and plain bytes, gunzip and line counts) in MB/s of
 *      stored bytes, as a ratio to `gzip -d` on the same compressed plaintext (target ≥ 0.7);
 *  (b) restore into the simulator in documents/s, as a ratio to a plain bulk import of the
 *      same documents (arangojs collection.import, same batch size) into the same simulator.
 *
 *   node --conditions=@arangops/source --import tsx bench/verify.ts [documents]
 */

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../packages/arangodb-sim/src/index.js';
import {
  decryptBackup,
  dumpOperations,
  loadBackupKey,
  localDumpFiles,
  openBackup,
  openStore,
  readDumpInventory,
  restoreDatabase,
  runBackup,
  runVerify,
} from '../packages/backup/src/index.js';
import { arangoConfigSchema, awsConfigSchema, createArangoConnection } from '../packages/core/src/index.js';
import { figure } from './report.js';

const N = Number(process.argv[2] ?? 200_000);
const BATCH_BYTES = 1 << 20;
const STATUSES = ['active', 'running', 'stopped', 'error', 'inactive'];

const work = mkdtempSync(join(tmpdir(), 'arangops-bench-verify-'));
const sim = await startSimulator({ version: '3.12.10', auth: false });
const connection = createArangoConnection(arangoConfigSchema.parse({ url: [sim.url], timeoutMs: 600_000 }));
try {
  const system = connection.database('_system');
  await system.createDatabase('bench');
  const db = connection.database('bench');
  const source = await db.createCollection('agents');
  for (let from = 0; from < N; from += 10_000) {
    const batch = [];
    for (let i = from; i < Math.min(N, from + 10_000); i++) {
      batch.push({
        _key: `a${i}`,
        name: `agent-${i}`,
        status: STATUSES[i % STATUSES.length],
        createdAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
        metrics: { cpu: (i % 97) / 97, memory: i % 4096, throughput: i * 3 },
        tags: [`t${i % 7}`, `t${i % 11}`],
      });
    }
    await source.import(batch);
  }
  const keyFile = join(work, 'backup.key');
  writeFileSync(keyFile, randomBytes(32).toString('base64'));
  const aws = awsConfigSchema.parse({});
  const key = await loadBackupKey({ keyFile }, aws);
  const store = openStore(`file://${join(work, 'store')}`, { aws });
  const { backupId, storedBytes } = await runBackup({
    connection,
    database: 'bench',
    store,
    key,
    toolVersion: 'bench',
  });

  // (a) cheap checks vs gzip -d on the same compressed plaintext.
  const t0 = performance.now();
  const opened = await openBackup(store, backupId, key, { rpoHours: 26, workDir: work });
  const cheap = await runVerify({
    backup: opened.backup,
    target: connection,
    noRestore: true,
    toolVersion: 'bench',
  });
  const cheapSeconds = (performance.now() - t0) / 1000;
  await opened.dispose();
  if (cheap.verdict !== 'pass') throw new Error(`cheap checks failed: ${JSON.stringify(cheap.checks)}`);
  const plainDir = join(work, 'plain');
  await decryptBackup(store, backupId, key, plainDir);
  const gz = readdirSync(plainDir)
    .filter((f) => f.endsWith('.gz'))
    .map((f) => join(plainDir, f));
  const gzBytes = gz.reduce((n, f) => n + statSync(f).size, 0);
  const g0 = performance.now();
  // One process for all files, so process start-up does not count against gzip.
  const r = spawnSync('gzip', ['-d', '-c', ...gz], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('gzip -d failed');
  const gzipSeconds = (performance.now() - g0) / 1000;
  const mbps = (bytes: number, s: number) => bytes / 1e6 / s;

  // (b) restore vs a plain bulk import of the same documents.
  const files = await localDumpFiles(plainDir);
  const dump = (await readDumpInventory(files)).databases[0]!;
  const r0 = performance.now();
  const restored = await restoreDatabase({
    connection,
    database: 'bench_restored',
    files,
    dump,
    batchBytes: BATCH_BYTES,
  });
  const restoreSeconds = (performance.now() - r0) / 1000;
  await system.createDatabase('bench_import');
  const plain = await connection.database('bench_import').createCollection('agents');
  const agents = dump.collections.find((c) => c.name === 'agents')!;
  const lines: string[] = [];
  for await (const op of dumpOperations(files, agents.dataPaths[0]!))
    if (op.op === 'put') lines.push(op.text);
  const i0 = performance.now();
  let batch: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    batch.push(line);
    bytes += line.length + 1;
    if (bytes >= BATCH_BYTES) {
      await plain.import(batch.join('\n'), { type: 'documents' });
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length) await plain.import(batch.join('\n'), { type: 'documents' });
  const importSeconds = (performance.now() - i0) / 1000;

  const rate = (s: number) => Math.round(restored.documents / s);
  console.log(
    `documents: ${N}, backup stored: ${(storedBytes / 1e6).toFixed(1)} MB, compressed plaintext: ${(gzBytes / 1e6).toFixed(1)} MB`,
  );
  figure('verify', {
    name: 'cheap checks',
    value: mbps(storedBytes, cheapSeconds),
    unit: 'MB/s',
    baseline: { name: 'gzip -d', value: mbps(gzBytes, gzipSeconds) },
    ratio: mbps(storedBytes, cheapSeconds) / mbps(gzBytes, gzipSeconds),
    target: '≥ 0.7',
  });
  const phases = Object.entries(cheap.phases).map(([p, sec]) => `${p} ${(sec ?? 0).toFixed(2)} s`);
  console.log(`              phases: ${phases.join(', ')}`);
  figure('verify', {
    name: 'restore',
    value: rate(restoreSeconds),
    unit: 'docs/s',
    baseline: { name: 'bulk import', value: rate(importSeconds) },
    ratio: importSeconds / restoreSeconds,
  });
} finally {
  connection.close();
  await sim.stop();
  rmSync(work, { recursive: true, force: true });
}
