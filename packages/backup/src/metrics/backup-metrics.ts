/**
 * Prometheus metrics of backup runs. Names are defined here only; the jobs process registers them
 * on its registry (as the schema package does for drift) and records each run.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export const BACKUP_METRICS = {
  lastSuccess: 'arangops_backup_last_success_timestamp_seconds',
  duration: 'arangops_backup_duration_seconds',
  size: 'arangops_backup_size_bytes',
  documents: 'arangops_backup_documents',
  failures: 'arangops_backup_failures_total',
} as const;

/** Why a run failed, from the error's type: bounded, so alerts can name a cause. */
export const BACKUP_FAILURE_REASONS = ['arango', 'store', 'key', 'input', 'internal'] as const;
export type BackupFailureReason = (typeof BACKUP_FAILURE_REASONS)[number];

export interface BackupMetrics {
  lastSuccess: Gauge<'database'>;
  duration: Gauge<'database'>;
  size: Gauge<'database'>;
  documents: Gauge<'database'>;
  failures: Counter<'database' | 'reason'>;
}

export function registerBackupMetrics(registry: Registry): BackupMetrics {
  const registers = [registry];
  const labelNames = ['database'] as const;
  return {
    lastSuccess: new Gauge({
      name: BACKUP_METRICS.lastSuccess,
      help: 'Unix time the last complete backup of a database was committed (its manifest written).',
      labelNames,
      registers,
    }),
    duration: new Gauge({
      name: BACKUP_METRICS.duration,
      help: 'Duration of the last complete backup of a database.',
      labelNames,
      registers,
    }),
    size: new Gauge({
      name: BACKUP_METRICS.size,
      help: 'Stored (encrypted) size of the last complete backup of a database.',
      labelNames,
      registers,
    }),
    documents: new Gauge({
      name: BACKUP_METRICS.documents,
      help: 'Documents in the last complete backup of a database.',
      labelNames,
      registers,
    }),
    failures: new Counter({
      name: BACKUP_METRICS.failures,
      help: 'Backup runs that failed, by reason (arango, store, key, input, internal); no manifest was written.',
      labelNames: ['database', 'reason'],
      registers,
    }),
  };
}
