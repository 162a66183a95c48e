/**
 * Where each job records the outcome of its last run, so the exporter alone
 * can back every alert (last success, duration, findings) without scraping
 * short-lived jobs. One JSON file per job, replaced atomically.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from './errors.js';
import type { Logger } from './logger.js';
import { scrubSecrets } from './secrets.js';

export const RUN_JOBS = ['drift', 'bootstrap', 'backup', 'verify'] as const;
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

export function createLocalRunRecordStore(dir: string): RunRecordStore {
  const fileOf = (job: RunJob) => join(dir, `${job}.json`);
  return {
    async write(record) {
      const valid = runRecordSchema.parse(record);
      // The message is often an error's; the exporter and operators read these files like logs.
      if (valid.message !== undefined) valid.message = scrubSecrets(valid.message);
      valid.lastSuccessAt = valid.success ? valid.finishedAt : (await this.read(valid.job))?.lastSuccessAt;
      if (valid.lastSuccessAt === undefined) delete valid.lastSuccessAt;
      await mkdir(dir, { recursive: true });
      const tmp = `${fileOf(valid.job)}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(valid, null, 2)}\n`);
      await rename(tmp, fileOf(valid.job));
    },
    async read(job) {
      let text: string;
      try {
        text = await readFile(fileOf(job), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new InputError(`not valid JSON: ${(e as Error).message}`, { file: fileOf(job) });
      }
      const parsed = runRecordSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(issue.message, { file: fileOf(job), field: issue.path.join('.') });
      }
      return parsed.data;
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
