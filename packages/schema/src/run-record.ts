import type { RunRecord } from '@arangops/core';
import type { DriftReport } from './types.js';

/** The run record of a drift check or bootstrap: counts the exporter's `suite` collector turns into metrics. */
export function runRecordOf(
  job: 'drift' | 'bootstrap',
  report: DriftReport,
  extra: Record<string, number> = {},
): RunRecord {
  return {
    job,
    success: report.inSync,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    durationSeconds: report.durationSeconds,
    summary: {
      items: report.items.length,
      ...report.summary,
      ignored: report.ignored,
      deprecations: report.deprecations.length,
      ...extra,
    },
    ...(report.inSync ? {} : { message: `${report.items.length} drift item(s), fail-on ${report.failOn}` }),
  };
}

/** The run record of a run that failed with an error before producing a report. */
export function failedRunRecord(job: 'drift' | 'bootstrap', started: Date, error: Error): RunRecord {
  const finished = new Date();
  return {
    job,
    success: false,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: (finished.getTime() - started.getTime()) / 1000,
    summary: {},
    message: error.message,
  };
}
