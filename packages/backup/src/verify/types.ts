/** The verifier's public result types (the JSON result follows them; see result-schema.ts). */

export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface CheckResult {
  /** Stable name: metrics and reports key on it. */
  name: string;
  /** The source database, when the backup holds several. */
  database?: string;
  status: CheckStatus;
  /** Plain words: why it passed, failed, or could not run. */
  reason: string;
  details?: unknown;
}

export type Phase = 'download' | 'decrypt' | 'cheap' | 'restore' | 'checks' | 'cleanup';
