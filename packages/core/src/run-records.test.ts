import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/harness/temp-dir.js';
import { InputError } from './errors.js';
import { createLogger } from './logger.js';
import {
  bestEffortRunRecords,
  cachedRunRecords,
  createLocalRunRecordStore,
  createRunRecordStore,
  type RunRecord,
  type RunRecordStore,
  teeRunRecords,
} from './run-records.js';
import { clearRegisteredSecrets, registerSecret } from './secrets.js';

const record: RunRecord = {
  job: 'drift',
  success: false,
  startedAt: '2026-11-27T16:00:00.000Z',
  finishedAt: '2026-11-27T16:00:02.500Z',
  durationSeconds: 2.5,
  summary: { items: 3, destructive: 1 },
};

describe('local run records', () => {
  it('round-trips the last record per job and leaves no temporary file', async () => {
    const dir = join(tempDir('runs'), 'nested');
    const store = createLocalRunRecordStore(dir);
    expect(await store.read('drift')).toBeUndefined();
    await store.write(record);
    await store.write({ ...record, success: true, summary: { items: 0 } });
    expect(await store.read('drift')).toMatchObject({ success: true, summary: { items: 0 } });
    expect(await store.read('backup')).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['drift.json']);
  });

  it('keeps the time of the last success across failed runs', async () => {
    const store = createLocalRunRecordStore(tempDir('runs'));
    await store.write(record);
    expect((await store.read('drift'))?.lastSuccessAt).toBeUndefined();
    await store.write({ ...record, success: true, finishedAt: '2026-11-27T17:00:00.000Z' });
    await store.write({ ...record, success: false, finishedAt: '2026-11-27T18:00:00.000Z' });
    expect(await store.read('drift')).toMatchObject({
      success: false,
      finishedAt: '2026-11-27T18:00:00.000Z',
      lastSuccessAt: '2026-11-27T17:00:00.000Z',
    });
  });

  it('rejects an invalid record before writing anything', async () => {
    const dir = tempDir('runs');
    const store = createLocalRunRecordStore(dir);
    await expect(store.write({ ...record, durationSeconds: -1 })).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the file and field of a corrupt record', async () => {
    const dir = tempDir('runs');
    writeFileSync(join(dir, 'verify.json'), JSON.stringify({ ...record, job: 'verify', success: 'yes' }));
    writeFileSync(join(dir, 'backup.json'), '{ not json');
    const store = createLocalRunRecordStore(dir);
    await expect(store.read('verify')).rejects.toThrow(InputError);
    await expect(store.read('verify')).rejects.toThrow(`${join(dir, 'verify.json')} (success): `);
    await expect(store.read('backup')).rejects.toThrow(/backup\.json: not valid JSON/);
  });

  it('scrubs the message like a log line: it often carries an error', async () => {
    registerSecret('run-record-password-77');
    const dir = tempDir('runs');
    try {
      await createLocalRunRecordStore(dir).write({
        ...record,
        message:
          'login as root:run-record-password-77 failed; sent Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl',
      });
    } finally {
      clearRegisteredSecrets();
    }
    const text = readFileSync(join(dir, 'drift.json'), 'utf8');
    expect(text).not.toContain('run-record-password-77');
    expect(text).not.toContain('eyJhbGciOi');
    expect(text).toContain('[REDACTED]');
  });

  it('best effort: a record that cannot be written is logged, and the job goes on', async () => {
    const blocked = join(tempDir('runs'), 'not-a-folder');
    writeFileSync(blocked, '');
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (l) => lines.push(l) } });
    const store = bestEffortRunRecords(createLocalRunRecordStore(join(blocked, 'runs')), logger);
    await expect(store.write(record)).resolves.toBeUndefined();
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      job: 'drift',
      msg: 'could not write the run record; the run result stands',
      err: { code: 'ENOTDIR' },
    });
  });
});

/** A store whose files live in a map, counting reads: a stand-in for the backup store's runs/. */
function countingStore() {
  const files = new Map<string, string>();
  let reads = 0;
  let failNext = false;
  const store = createRunRecordStore({
    describe: (name) => `s3://bucket/runs/${name}`,
    async read(name) {
      reads += 1;
      if (failNext) {
        failNext = false;
        throw new Error('S3 unavailable');
      }
      return files.get(name);
    },
    async write(name, text) {
      files.set(name, text);
    },
  });
  return { store, files, reads: () => reads, failOnce: () => (failNext = true) };
}

describe('run records in another store, cached and teed', () => {
  it('a record that is not one names its location', async () => {
    const { store, files } = countingStore();
    files.set('drift.json', '{"job":"drift"}');
    await expect(store.read('drift')).rejects.toThrow(/s3:\/\/bucket\/runs\/drift\.json/);
  });

  it('reads are reused for the cache time, a failed read is not, a write refreshes', async () => {
    const remote = countingStore();
    let now = 0;
    const cached = cachedRunRecords(remote.store, 30_000, () => now);
    await remote.store.write(record);
    const readsBefore = remote.reads();
    expect(await cached.read('drift')).toMatchObject({ success: false });
    expect(await cached.read('drift')).toMatchObject({ success: false });
    expect(remote.reads() - readsBefore).toBe(1);
    now = 30_000;
    remote.failOnce();
    await expect(cached.read('drift')).rejects.toThrow(/S3 unavailable/);
    expect(await cached.read('drift')).toMatchObject({ success: false });
    await cached.write({ ...record, success: true });
    expect(await cached.read('drift')).toMatchObject({ success: true });
  });

  it('a tee writes everywhere and reads from the first; each keeps its own last success', async () => {
    const remote = countingStore();
    const dir = tempDir('runs-tee');
    const local = createLocalRunRecordStore(dir);
    const tee: RunRecordStore = teeRunRecords(remote.store, local);
    await tee.write({ ...record, success: true });
    await tee.write(record);
    expect(JSON.parse(remote.files.get('drift.json')!)).toMatchObject({
      success: false,
      lastSuccessAt: record.finishedAt,
    });
    expect(await local.read('drift')).toMatchObject({ success: false, lastSuccessAt: record.finishedAt });
    remote.files.clear();
    expect(await tee.read('drift')).toBeUndefined();
  });
});
