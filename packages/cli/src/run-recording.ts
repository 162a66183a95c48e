import { toArangopsError } from '@arangops/core';
import type { CliContext } from './context.js';

/**
 * Runs a job; when it fails, the failure is recorded before the error goes on
 * to the top-level handler, so the exporter's last-run metrics (and alerts) see it.
 */
export async function recordingFailure<T>(
  ctx: CliContext,
  job: 'drift' | 'bootstrap',
  run: () => Promise<T>,
  { record = true }: { record?: boolean } = {},
): Promise<T> {
  const started = new Date();
  try {
    return await run();
  } catch (e) {
    if (record) {
      const { failedRunRecord } = await import('@arangops/schema');
      await ctx.runRecords().write(failedRunRecord(job, started, toArangopsError(e)));
    }
    throw e;
  }
}
