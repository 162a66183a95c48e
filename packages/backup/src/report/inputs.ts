/** What a report is built from: what the store holds, already read (see load.ts). */
import type { BackupListing } from '../job/list-backups.js';
import type { VerifyResult } from '../verify/result.js';

export interface StoredResult {
  /** Where it is stored (store URL + key), for the reader to find it. */
  location: string;
  result: VerifyResult;
}

/** A run record from `runs/`: core's RunRecord, whose job name may be spelled `task`. */
export interface StoredRun {
  task: string;
  success: boolean;
  finishedAt: string;
  summary: Record<string, number>;
  message?: string;
}

export interface ReportInputs {
  /** The store's URL (never with credentials: store URLs hold none). */
  store: string;
  listings: BackupListing[];
  results: StoredResult[];
  runs: StoredRun[];
  /** Stored files that could not be read: shown, never fatal. */
  unreadable: { key: string; reason: string }[];
}

export interface ReportOptions {
  toolVersion: string;
  /** A backup older than this breaks the recovery point objective. */
  rpoHours: number;
  /** Where docs/runbooks.md is published; default the path in the repository. */
  runbookBase?: string;
  now?: Date;
}
