/**
 * One job of `arangops jobs`, in this process: the same code as its command
 * (`backup run`, `verify`, `drift`, `backup prune`), its outcome on the jobs
 * process's metrics, its exit code returned instead of set on the process.
 */
import {
  type BackupMetrics,
  recordBackupMetrics,
  recordVerifyMetrics,
  registerBackupMetrics,
  registerVerifyMetrics,
  type VerifyMetrics,
} from '@arangops/backup';
import { EXIT_CODES, toArangopsError } from '@arangops/core';
import { recordDriftMetrics, registerSchemaMetrics, type SchemaMetrics } from '@arangops/schema';
import type { Registry } from 'prom-client';
import { backupPrune, backupRun } from '../actions/backup.js';
import { verifyBackup } from '../actions/verify.js';
import { driftCheck } from '../commands/drift.js';
import type { CliContext } from '../context.js';
import type { JobName } from './config.js';

export interface JobMetrics {
  backup: BackupMetrics;
  verify: VerifyMetrics;
  drift: SchemaMetrics;
}

export function registerJobMetrics(registry: Registry): JobMetrics {
  return {
    backup: registerBackupMetrics(registry),
    verify: registerVerifyMetrics(registry),
    drift: registerSchemaMetrics(registry),
  };
}

export async function runJob(
  ctx: CliContext,
  metrics: JobMetrics,
  job: JobName,
  signal: AbortSignal,
): Promise<number> {
  let exitCode = 0;
  // The job's own verdict (a failed verification, drift found) without touching the process's exit code.
  const jobCtx: CliContext = { ...ctx, setExitCode: (code) => (exitCode = code) };
  const config = ctx.config();
  const database = config.backup.database ?? config.arango.database;
  try {
    switch (job) {
      case 'backup':
        recordBackupMetrics(
          metrics.backup,
          database,
          await backupRun(jobCtx, { collection: [], exclude: [] }, { signal }),
        );
        break;
      case 'verify-cheap':
        await verifyBackup(
          jobCtx,
          undefined,
          { restore: false, live: false },
          { signal, task: 'verify-cheap' },
        );
        break;
      case 'verify':
        recordVerifyMetrics(
          metrics.verify,
          await verifyBackup(jobCtx, undefined, { restore: true, live: true }, { signal }),
        );
        break;
      case 'drift':
        recordDriftMetrics(metrics.drift, await driftCheck(jobCtx, { ignore: [], format: 'json' }));
        break;
      case 'prune':
        await backupPrune(jobCtx, {});
        break;
    }
    return exitCode;
  } catch (e) {
    const error = toArangopsError(e);
    if (job === 'backup') recordBackupMetrics(metrics.backup, database, error);
    if (job === 'drift') recordDriftMetrics(metrics.drift, error);
    ctx.logger().error({ task: job, err: error }, `${job} failed: ${error.message}`);
    return error.exitCode ?? EXIT_CODES.internal;
  }
}
