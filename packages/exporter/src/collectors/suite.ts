import { RUN_JOBS, type RunRecordStore } from '@arangops/core';
import type { Collector } from '../collector.js';
import { SUITE_METRICS } from '../metric-names.js';

const seconds = (iso: string) => Date.parse(iso) / 1000;

/**
 * The last result of each job from the run-record store, so the exporter alone can back every
 * alert. The store carries the time of the last success across failed runs.
 */
export function suiteCollector(options: { runRecords: RunRecordStore; timeoutMs: number }): Collector {
  return {
    name: 'suite',
    needsArango: false,
    timeoutMs: options.timeoutMs,
    async collect(context) {
      const success = context.family(SUITE_METRICS.lastRunSuccess);
      const timestamp = context.family(SUITE_METRICS.lastRunTimestamp);
      const duration = context.family(SUITE_METRICS.lastRunDuration);
      const succeeded = context.family(SUITE_METRICS.lastSuccessTimestamp);
      const figures = context.family(SUITE_METRICS.lastRunFigures);
      const records = await Promise.all(RUN_JOBS.map((job) => options.runRecords.read(job)));
      for (const record of records) {
        if (!record) continue;
        // `task`, not `job`: Prometheus sets `job` on every target and would rename ours to `exported_job`.
        const task = record.job;
        success.set({ task }, record.success ? 1 : 0);
        timestamp.set({ task }, seconds(record.finishedAt));
        duration.set({ task }, record.durationSeconds);
        if (record.lastSuccessAt) succeeded.set({ task }, seconds(record.lastSuccessAt));
        for (const [figure, value] of Object.entries(record.summary)) figures.set({ task, figure }, value);
      }
    },
  };
}
