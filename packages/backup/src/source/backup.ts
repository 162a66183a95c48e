/**
 * An arangops backup in a store, made ready for verification: the cheap
 * checks (manifest present and authentic, every object present with its
 * size, every frame authenticated under the backup's encryption context,
 * stored and plaintext SHA-256 as recorded, age against the RPO) run while
 * its objects are downloaded and decrypted into a local folder, which the
 * restore then reads like any dump.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { toArangopsError } from '@arangops/core';
import { keyError } from '../crypto/envelope.js';
import type { BackupKey } from '../crypto/keys.js';
import { backupPrefix } from '../format/layout.js';
import { type Manifest, readManifest } from '../format/manifest.js';
import { hashTap } from '../job/hash-tap.js';
import type { BackupStore } from '../store/types.js';
import { storeLocation } from '../verify/results.js';
import type { BackupUnderTest } from '../verify/run.js';
import type { CheckResult, Phase } from '../verify/types.js';
import { localDumpFiles } from './files.js';
import { readDumpInventory } from './inventory.js';
import { PlainLineCounter } from './read.js';

export interface OpenedBackup {
  backup: BackupUnderTest;
  /** Removes the local plaintext copy. */
  dispose(): Promise<void>;
}

export interface OpenBackupOptions {
  rpoHours: number;
  now?: Date;
  /** Parent of the local plaintext copy (default: the OS temp folder). */
  workDir?: string;
}

export async function openBackup(
  store: BackupStore,
  backupId: string,
  key: BackupKey,
  options: OpenBackupOptions,
): Promise<OpenedBackup> {
  const location = storeLocation(store, backupPrefix(backupId));
  const work = await mkdtemp(join(options.workDir ?? tmpdir(), 'arangops-verify-'));
  const dispose = () => rm(work, { recursive: true, force: true });
  const timings: Partial<Record<Phase, number>> = {};
  const checks: CheckResult[] = [];
  const empty = { location, encryption: 'none', databases: [] };
  const base = { id: backupId, kind: 'arangops' as const, location, timings, cheapChecks: checks };
  try {
    let read: Awaited<ReturnType<typeof readManifest>>;
    try {
      read = await readManifest(store, backupId, { key });
    } catch (e) {
      checks.push({ name: 'manifest', status: 'fail', reason: toArangopsError(e).message });
      return { backup: { ...base, files: await localDumpFiles(work), inventory: empty }, dispose };
    }
    const { manifest, cipher } = read;
    checks.push({ name: 'manifest', status: 'pass', reason: 'present, and its seal matches (authentic)' });
    checks.push(ageCheck(manifest, options.rpoHours, options.now ?? new Date()));

    const stored = new Map<string, number>();
    for await (const o of store.list(backupPrefix(backupId)))
      stored.set(o.key.slice(backupPrefix(backupId).length), o.size);
    const objectProblems: string[] = [];
    for (const f of manifest.files) {
      const size = stored.get(f.object);
      if (size === undefined) objectProblems.push(`${f.object} is missing`);
      else if (size !== f.storedBytes)
        objectProblems.push(`${f.object} has ${size} bytes, the manifest says ${f.storedBytes}`);
    }
    checks.push(
      objectProblems.length === 0
        ? {
            name: 'objects',
            status: 'pass',
            reason: `all ${manifest.files.length} objects present with their sizes`,
          }
        : {
            name: 'objects',
            status: 'fail',
            reason: objectProblems[0]!,
            details: { problems: objectProblems },
          },
    );

    const plainDir = join(work, 'plain');
    const dataLineCounts: Record<string, number> = {};
    const decryptProblems: string[] = [];
    const hashProblems: string[] = [];
    for (const f of manifest.files) {
      if (!stored.has(f.object)) continue;
      const storedCopy = join(work, 'stored', f.object);
      await mkdir(dirname(storedCopy), { recursive: true });
      const tapStored = hashTap();
      await timed(timings, 'download', async () =>
        pipeline(
          await store.get(`${backupPrefix(backupId)}${f.object}`),
          tapStored.stream,
          createWriteStream(storedCopy),
        ),
      );
      if (tapStored.bytes() !== f.storedBytes || tapStored.sha256() !== f.storedSha256) {
        hashProblems.push(`${f.object}: stored bytes differ from the manifest (size or SHA-256)`);
      }
      const plainPath = join(plainDir, f.name);
      await mkdir(dirname(plainPath), { recursive: true });
      const tapPlain = hashTap();
      // Gzipped data is counted while it is decrypted: zlib works on another thread meanwhile.
      const counting = f.name.endsWith('.gz') ? lineCountTap() : undefined;
      try {
        await timed(timings, 'decrypt', () =>
          pipeline([
            createReadStream(storedCopy),
            cipher!.decryptStream(),
            tapPlain.stream,
            ...(counting ? [counting.stream] : []),
            createWriteStream(plainPath),
          ]),
        );
        const lines = await counting?.lines();
        if (lines !== undefined) dataLineCounts[f.name] = lines;
      } catch (e) {
        decryptProblems.push(`${f.object}: ${keyError(e, 'decrypt').message}`);
        await rm(plainPath, { force: true });
        continue;
      } finally {
        await rm(storedCopy, { force: true });
      }
      if (tapPlain.bytes() !== f.plainBytes || tapPlain.sha256() !== f.plainSha256) {
        hashProblems.push(`${f.name}: decrypted bytes differ from the manifest (size or SHA-256)`);
      }
    }
    checks.push(
      decryptProblems.length === 0
        ? {
            name: 'decryption',
            status: 'pass',
            reason: `every frame authenticated under context ${JSON.stringify(manifest.encryption.encryptionContext)}`,
          }
        : {
            name: 'decryption',
            status: 'fail',
            reason: decryptProblems[0]!,
            details: { problems: decryptProblems },
          },
    );
    checks.push(
      hashProblems.length === 0
        ? {
            name: 'hashes',
            status: 'pass',
            reason: 'stored and plaintext sizes and SHA-256 match the manifest',
          }
        : { name: 'hashes', status: 'fail', reason: hashProblems[0]!, details: { problems: hashProblems } },
    );

    const files = await localDumpFiles(await ensureDir(plainDir));
    const inventory = await readDumpInventory(files);
    for (const d of inventory.databases) if (!d.dumpJson) d.name = manifest.database.name;
    const db = manifest.database.name;
    return {
      backup: {
        ...base,
        files,
        inventory,
        startedAt: new Date(manifest.startedAt),
        dataLineCounts,
        manifestCounts: { [db]: Object.fromEntries(manifest.collections.map((c) => [c.name, c.documents])) },
        manifestDigests: { [db]: Object.fromEntries(manifest.collections.map((c) => [c.name, c.digest])) },
      },
      dispose,
    };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** Passes bytes through while a gunzip on the side counts their lines (undefined if they do not gunzip or are enveloped). */
function lineCountTap(): { stream: Transform; lines(): Promise<number | undefined> } {
  const gunzip = createGunzip();
  const counter = new PlainLineCounter();
  gunzip.on('data', (chunk: Buffer) => counter.push(chunk));
  const ended = new Promise<boolean>((resolve) => {
    gunzip.once('end', () => resolve(true));
    gunzip.once('error', () => resolve(false));
  });
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (gunzip.write(chunk)) done(null, chunk);
      else gunzip.once('drain', () => done(null, chunk));
    },
    flush(done) {
      gunzip.end();
      done();
    },
  });
  return {
    stream,
    lines: async () => ((await ended) && !counter.envelope ? counter.lines : undefined),
  };
}

function ageCheck(manifest: Manifest, rpoHours: number, now: Date): CheckResult {
  const hours = (now.getTime() - new Date(manifest.startedAt).getTime()) / 3600_000;
  const age = `${hours.toFixed(1)} h old`;
  return hours <= rpoHours
    ? { name: 'age', status: 'pass', reason: `${age}, within the ${rpoHours} h RPO` }
    : { name: 'age', status: 'fail', reason: `${age}, older than the ${rpoHours} h RPO` };
}

async function ensureDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

async function timed<T>(
  timings: Partial<Record<Phase, number>>,
  phase: Phase,
  fn: () => Promise<T>,
): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings[phase] = (timings[phase] ?? 0) + (performance.now() - t0) / 1000;
  }
}
