/** Reading what the store holds for a report: backup listings, verification results, run records. */
import { InputError } from '@arangops/core';
import { z } from 'zod';
import type { BackupKey } from '../crypto/keys.js';
import { RESULTS_PREFIX, RUNS_PREFIX } from '../format/layout.js';
import { listBackups } from '../job/list-backups.js';
import type { BackupStore } from '../store/types.js';
import { verifyResultSchema } from '../verify/result.js';
import { storeLocation } from '../verify/results.js';
import type { ReportInputs, StoredResult, StoredRun } from './inputs.js';

// Core's RunRecord; the scheduler may name the job `task` (the metrics' label name).
const storedRunSchema = z
  .object({
    job: z.string().optional(),
    task: z.string().optional(),
    success: z.boolean(),
    finishedAt: z.iso.datetime(),
    summary: z.record(z.string(), z.number()).default({}),
    message: z.string().optional(),
  })
  .refine((r) => r.job !== undefined || r.task !== undefined, { message: 'neither job nor task given' });

/** `results/20261205T020000Z-…`: the result's finish time, so a window reads only its own files. */
const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/;

function stampOf(key: string, prefix: string): number | undefined {
  const m = STAMP.exec(key.slice(prefix.length));
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

export interface LoadOptions {
  /** With the key, each backup's manifest seal is checked too. */
  key?: BackupKey;
  /** Only results that finished in this window are read (by their key's time stamp). */
  since?: Date;
  until?: Date;
}

async function readJson(
  store: BackupStore,
  key: string,
  unreadable: ReportInputs['unreadable'],
): Promise<unknown | undefined> {
  try {
    return JSON.parse((await store.getBytes(key)).toString('utf8'));
  } catch (e) {
    unreadable.push({ key, reason: `not JSON: ${(e as Error).message}` });
    return undefined;
  }
}

function issueOf(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(top)'}: ${issue.message}`;
}

export async function loadReportInputs(store: BackupStore, options: LoadOptions = {}): Promise<ReportInputs> {
  const unreadable: ReportInputs['unreadable'] = [];
  const inWindow = (t: number | undefined) =>
    t === undefined ||
    ((!options.since || t >= options.since.getTime()) && (!options.until || t < options.until.getTime()));

  const results: StoredResult[] = [];
  for await (const o of store.list(RESULTS_PREFIX)) {
    if (!o.key.endsWith('.json') || !inWindow(stampOf(o.key, RESULTS_PREFIX))) continue;
    const json = await readJson(store, o.key, unreadable);
    if (json === undefined) continue;
    const parsed = verifyResultSchema.safeParse(json);
    if (parsed.success) results.push({ location: storeLocation(store, o.key), result: parsed.data });
    else unreadable.push({ key: o.key, reason: `not a verification result: ${issueOf(parsed.error)}` });
  }

  const runs: StoredRun[] = [];
  for await (const o of store.list(RUNS_PREFIX)) {
    if (!o.key.endsWith('.json')) continue;
    const json = await readJson(store, o.key, unreadable);
    if (json === undefined) continue;
    const parsed = storedRunSchema.safeParse(json);
    if (!parsed.success) {
      unreadable.push({ key: o.key, reason: `not a run record: ${issueOf(parsed.error)}` });
      continue;
    }
    const { job, task, ...rest } = parsed.data;
    if (inWindow(Date.parse(rest.finishedAt))) runs.push({ task: (task ?? job)!, ...rest });
  }

  const listings = await listBackups(store, options.key ? { key: options.key } : {});
  return { store: store.url, listings, results, runs, unreadable };
}

/**
 * One verification result: a key in the store (`results/…json`, the prefix may
 * be left out) or, when `key` is omitted, the newest. InputError when it is not one.
 */
export async function readStoredResult(store: BackupStore, key?: string): Promise<StoredResult> {
  let found =
    key === undefined ? undefined : key.startsWith(RESULTS_PREFIX) ? key : `${RESULTS_PREFIX}${key}`;
  if (found === undefined) {
    for await (const o of store.list(RESULTS_PREFIX)) if (o.key.endsWith('.json')) found = o.key;
    if (found === undefined) {
      throw new InputError(`no verification result in ${storeLocation(store, RESULTS_PREFIX)}`);
    }
  }
  return parseResult((await store.getBytes(found)).toString('utf8'), storeLocation(store, found));
}

/** A result's text → the result; an InputError naming the file and field otherwise. */
export function parseResult(text: string, location: string): StoredResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not JSON: ${(e as Error).message}`, { file: location });
  }
  const parsed = verifyResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`not a verification result: ${issue.message}`, {
      file: location,
      field: issue.path.join('.'),
    });
  }
  return { location, result: parsed.data };
}
