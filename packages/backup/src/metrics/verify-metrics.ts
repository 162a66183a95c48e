/**
 * Prometheus metrics of verification runs. Names are defined here only; the
 * jobs process registers them on its registry and records each result.
 */
import type { RunRecord } from '@arangops/core';
import { Gauge, type Registry } from 'prom-client';
import type { VerifyResult } from '../verify/result.js';

export const VERIFY_METRICS = {
  lastRun: 'arangops_verify_last_run_timestamp_seconds',
  lastSuccess: 'arangops_verify_last_success_timestamp_seconds',
  success: 'arangops_verify_success',
  checkSuccess: 'arangops_verify_check_success',
  phaseDuration: 'arangops_verify_phase_duration_seconds',
  restoredDocuments: 'arangops_verify_restored_documents',
  backupAge: 'arangops_backup_age_seconds',
} as const;

export interface VerifyMetrics {
  lastRun: Gauge;
  lastSuccess: Gauge;
  success: Gauge;
  checkSuccess: Gauge<'check'>;
  phaseDuration: Gauge<'phase'>;
  restoredDocuments: Gauge;
  backupAge: Gauge;
}

export function registerVerifyMetrics(registry: Registry): VerifyMetrics {
  const registers = [registry];
  return {
    lastRun: new Gauge({
      name: VERIFY_METRICS.lastRun,
      help: 'Unix time the last verification finished, whatever its verdict.',
      registers,
    }),
    lastSuccess: new Gauge({
      name: VERIFY_METRICS.lastSuccess,
      help: 'Unix time of the last verification whose every check passed.',
      registers,
    }),
    success: new Gauge({
      name: VERIFY_METRICS.success,
      help: '1 when the last verification passed every check, else 0.',
      registers,
    }),
    checkSuccess: new Gauge({
      name: VERIFY_METRICS.checkSuccess,
      help: 'Per check of the last verification: 1 passed, 0 failed (skipped checks are absent).',
      labelNames: ['check'],
      registers,
    }),
    phaseDuration: new Gauge({
      name: VERIFY_METRICS.phaseDuration,
      help: 'Seconds the last verification spent per phase (download, decrypt, cheap, restore, checks, cleanup); restore is the measured RTO.',
      labelNames: ['phase'],
      registers,
    }),
    restoredDocuments: new Gauge({
      name: VERIFY_METRICS.restoredDocuments,
      help: 'Documents the last verification restored into its scratch database.',
      registers,
    }),
    backupAge: new Gauge({
      name: VERIFY_METRICS.backupAge,
      help: 'Age of the last verified backup at verification time (from its manifest).',
      registers,
    }),
  };
}

export function recordVerifyMetrics(metrics: VerifyMetrics, result: VerifyResult): void {
  const finished = new Date(result.finishedAt).getTime() / 1000;
  metrics.lastRun.set(finished);
  const passed = result.verdict === 'pass';
  metrics.success.set(passed ? 1 : 0);
  if (passed) metrics.lastSuccess.set(finished);
  metrics.checkSuccess.reset();
  // Several databases may report the same check: the worst counts.
  const byCheck = new Map<string, number>();
  for (const c of result.checks) {
    if (c.status === 'skipped') continue;
    const ok = c.status === 'pass' ? 1 : 0;
    byCheck.set(c.name, Math.min(byCheck.get(c.name) ?? 1, ok));
  }
  for (const [check, ok] of byCheck) metrics.checkSuccess.set({ check }, ok);
  metrics.phaseDuration.reset();
  for (const [phase, seconds] of Object.entries(result.phases))
    metrics.phaseDuration.set({ phase }, seconds ?? 0);
  metrics.restoredDocuments.set(result.restoredDocuments);
  if (result.backup.ageSeconds !== undefined) metrics.backupAge.set(result.backup.ageSeconds);
}

/** The run record the exporter turns into last-run metrics and alerts. */
export function verifyRunRecord(result: VerifyResult): RunRecord {
  const failed = result.checks.filter((c) => c.status === 'fail');
  const started = new Date(result.startedAt).getTime();
  const finished = new Date(result.finishedAt).getTime();
  return {
    job: 'verify',
    success: result.verdict === 'pass',
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    durationSeconds: Math.max(0, (finished - started) / 1000),
    summary: {
      checks: result.checks.length,
      failed: failed.length,
      skipped: result.checks.filter((c) => c.status === 'skipped').length,
      restoredDocuments: result.restoredDocuments,
      restoreSeconds: result.phases.restore ?? 0,
    },
    message:
      failed.length === 0
        ? `backup ${result.backup.id} verified`
        : `backup ${result.backup.id} failed ${failed.map((c) => c.name).join(', ')}: ${failed[0]!.reason}`,
  };
}
