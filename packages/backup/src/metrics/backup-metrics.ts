/**
 * Prometheus metrics of backup runs. Names are defined here only; the jobs process registers them
 * on its registry (as the schema package does for drift) and records each run.
 */
import {
  ArangoServerError,
  ConfigError,
  ConnectionError,
  InputError,
  type RunRecord,
  toArangopsError,
} from '@arangops/core';
import { Counter, Gauge, type Registry } from 'prom-client';
import { KeyError, StoreError } from '../errors.js';
import type { BackupResult } from '../job/run-backup.js';

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

export function failureReason(error: unknown): BackupFailureReason {
  const e = toArangopsError(error);
  if (e instanceof KeyError) return 'key';
  if (e instanceof StoreError) return 'store';
  if (e instanceof ConnectionError || e instanceof ArangoServerError) return 'arango';
  if (e instanceof InputError || e instanceof ConfigError) return 'input';
  return 'internal';
}

/** Records a finished run: gauges on success, the failure counter (by reason) otherwise. */
export function recordBackupMetrics(
  metrics: BackupMetrics,
  database: string,
  outcome: BackupResult | Error,
  now: Date = new Date(),
): void {
  if (outcome instanceof Error) {
    metrics.failures.inc({ database, reason: failureReason(outcome) });
    return;
  }
  metrics.lastSuccess.set({ database }, Math.floor(now.getTime() / 1000));
  metrics.duration.set({ database }, outcome.durationSeconds);
  metrics.size.set({ database }, outcome.storedBytes);
  metrics.documents.set({ database }, outcome.documents);
}

/** The run record of a backup, as drift and bootstrap write theirs: the exporter turns it into metrics. */
export function backupRunRecord(result: BackupResult): RunRecord {
  return {
    job: 'backup',
    success: true,
    startedAt: result.manifest.startedAt,
    finishedAt: result.manifest.finishedAt,
    durationSeconds: result.durationSeconds,
    summary: {
      documents: result.documents,
      storedBytes: result.storedBytes,
      collections: result.manifest.collections.length,
    },
    message: `backup ${result.backupId}`,
  };
}

export function failedBackupRunRecord(started: Date, error: Error, finished: Date = new Date()): RunRecord {
  return {
    job: 'backup',
    success: false,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: (finished.getTime() - started.getTime()) / 1000,
    summary: {},
    message: `${failureReason(error)}: ${error.message}`,
  };
}
