/**
 * Where each job records the outcome of its last run, so the exporter alone
 * can back every alert (last success, duration, findings) without scraping
 * short-lived jobs. One JSON file per job, in a local folder or the backup
 * store's `runs/` (where the exporter in another pod reads them).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from './errors.js';
import type { Logger } from './logger.js';
import { scrubSecrets } from './secrets.js';

export const RUN_JOBS = ['drift', 'bootstrap', 'backup', 'verify', 'verify-cheap', 'prune'] as const;
export type RunJob = (typeof RUN_JOBS)[number];

export const runRecordSchema = z.object({
  job: z.enum(RUN_JOBS),
  success: z.boolean(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationSeconds: z.number().nonnegative(),
  /** Counters worth alerting on, e.g. `{ items: 3, destructive: 1 }`. */
  summary: z.record(z.string(), z.number()),
  message: z.string().optional(),
  /** When the job last succeeded, this run or an earlier one; kept by the store, so it survives failed runs. */
  lastSuccessAt: z.iso.datetime().optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export interface RunRecordStore {
  write(record: RunRecord): Promise<void>;
  read(job: RunJob): Promise<RunRecord | undefined>;
}

/** Where the records' text lives: a folder, or the backup store's `runs/`. */
export interface RunRecordFiles {
  /** The text of `<job>.json`, or undefined when there is none. */
  read(name: string): Promise<string | undefined>;
  write(name: string, text: string): Promise<void>;
  /** How messages name a record, e.g. its path or URL. */
  describe(name: string): string;
}

/** Records as JSON files, one per job; a file that is not a record is an input error naming it. */
export function createRunRecordStore(files: RunRecordFiles): RunRecordStore {
  const nameOf = (job: RunJob) => `${job}.json`;
  const store: RunRecordStore = {
    async write(record) {
      const valid = runRecordSchema.parse(record);
      // The message is often an error's; the exporter and operators read these files like logs.
      if (valid.message !== undefined) valid.message = scrubSecrets(valid.message);
      valid.lastSuccessAt = valid.success ? valid.finishedAt : (await store.read(valid.job))?.lastSuccessAt;
      if (valid.lastSuccessAt === undefined) delete valid.lastSuccessAt;
      await files.write(nameOf(valid.job), `${JSON.stringify(valid, null, 2)}\n`);
    },
    async read(job) {
      const text = await files.read(nameOf(job));
      if (text === undefined) return undefined;
      const file = files.describe(nameOf(job));
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new InputError(`not valid JSON: ${(e as Error).message}`, { file });
      }
      const parsed = runRecordSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(issue.message, { file, field: issue.path.join('.') });
      }
      return parsed.data;
    },
  };
  return store;
}

export function createLocalRunRecordStore(dir: string): RunRecordStore {
  return createRunRecordStore({
    describe: (name) => join(dir, name),
    async read(name) {
      try {
        return await readFile(join(dir, name), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async write(name, text) {
      await mkdir(dir, { recursive: true });
      // Replaced atomically: a reader never sees half a record.
      const tmp = join(dir, `${name}.${process.pid}.tmp`);
      await writeFile(tmp, text);
      await rename(tmp, join(dir, name));
    },
  });
}

/**
 * Writes go to every store (the local folder and the shared backup store),
 * reads come from the first: where this process's readers look.
 */
export function teeRunRecords(read: RunRecordStore, ...also: RunRecordStore[]): RunRecordStore {
  return {
    read: (job) => read.read(job),
    async write(record) {
      await Promise.all([read, ...also].map((s) => s.write(record)));
    },
  };
}

/**
 * Reads remembered for `ttlMs`: a scrape every 15 s need not fetch every record
 * from S3 each time. A write through this store refreshes its entry.
 */
export function cachedRunRecords(
  store: RunRecordStore,
  ttlMs: number,
  now: () => number = Date.now,
): RunRecordStore {
  const cache = new Map<RunJob, { at: number; record: Promise<RunRecord | undefined> }>();
  return {
    read(job) {
      const hit = cache.get(job);
      if (hit && now() - hit.at < ttlMs) return hit.record;
      const record = store.read(job);
      cache.set(job, { at: now(), record });
      // A failed read is not remembered: the next scrape tries again.
      record.catch(() => cache.delete(job));
      return record;
    },
    async write(record) {
      cache.delete(record.job);
      await store.write(record);
    },
  };
}

/**
 * A store whose writes never fail the job: the job's own result and exit code
 * stand when its record cannot be written (a read-only working directory, a
 * full disk); the failure is logged instead. Reads are unchanged.
 */
export function bestEffortRunRecords(store: RunRecordStore, logger: Logger): RunRecordStore {
  return {
    read: (job) => store.read(job),
    async write(record) {
      try {
        await store.write(record);
      } catch (e) {
        logger.warn({ err: e, job: record.job }, 'could not write the run record; the run result stands');
      }
    },
  };
}
