/** The `arangops jobs` process: the scheduler, its HTTP server, and SIGTERM handling. */
import { RUNS_PREFIX } from '@arangops/backup';
import { startHttpServer } from '@arangops/core';
import { schedule, validate } from 'node-cron';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { storeOf } from '../actions/backup.js';
import type { CliContext } from '../context.js';
import { abortAfterGrace } from '../interrupt.js';
import { untilSignal } from '../signals.js';
import type { JobName } from './config.js';
import { type JobMetrics, registerJobMetrics, runJob } from './run-job.js';
import { createScheduler, type Scheduler } from './scheduler.js';

/** How long a readiness answer about the store stands: probes come every few seconds. */
const READY_CACHE_MS = 10_000;

/**
 * One job, for a CronJob: SIGTERM gives it the grace period, then aborts it
 * (a verification drops its scratch database, a backup its uploads).
 */
export async function runOnce(ctx: CliContext, job: JobName): Promise<number> {
  const { gracePeriodSeconds } = ctx.config().jobs;
  const interrupt = abortAfterGrace(gracePeriodSeconds * 1000, (signal) =>
    ctx
      .logger()
      .warn(
        { task: job, signal, graceSeconds: gracePeriodSeconds },
        'stopping once the job ends or the grace period is over',
      ),
  );
  try {
    return await runJob(ctx, registerJobMetrics(new Registry()), job, interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}

/** The long-running process: every enabled job on its schedule until SIGTERM. */
export async function runJobs(ctx: CliContext): Promise<void> {
  const jobs = await startJobs(ctx);
  const signal = await untilSignal();
  ctx.logger().info({ signal, running: jobs.running() }, 'shutting down');
  await jobs.stop();
}

export interface RunningJobs {
  /** The HTTP server's base URL (/metrics, /healthz, /readyz). */
  readonly url: string;
  /** The job metrics it serves, for runs made outside the scheduler (the demo's). */
  readonly metrics: JobMetrics;
  running(): JobName[];
  /** Lets a running job finish within the grace period, aborts it after, then closes the server. */
  stop(): Promise<void>;
}

/** The HTTP server, then every enabled job scheduled; `arangops jobs` and the demo run this. */
export async function startJobs(ctx: CliContext): Promise<RunningJobs> {
  const config = ctx.config();
  const logger = ctx.logger();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = registerJobMetrics(registry);
  const ready = storeReadiness(ctx);
  const server = await startHttpServer({
    host: config.jobs.host,
    port: config.jobs.port,
    logger,
    ready,
    metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  });
  // The server first: a port in use fails the start before anything is scheduled.
  let scheduler: Scheduler;
  try {
    scheduler = createScheduler({
      config: config.jobs,
      logger,
      schedule,
      validate,
      run: (job, signal) => runJob(ctx, metrics, job, signal),
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    url: server.url,
    metrics,
    running: () => scheduler.running(),
    async stop() {
      await scheduler.stop(config.jobs.gracePeriodSeconds * 1000);
      await server.close();
    },
  };
}

/** Ready once the config loaded (it has, to get here) and the backup store answers a listing. */
function storeReadiness(ctx: CliContext): () => Promise<boolean> {
  if (!ctx.config().backup.store) return async () => true;
  let checked: { at: number; ok: Promise<boolean> } | undefined;
  return () => {
    if (checked && Date.now() - checked.at < READY_CACHE_MS) return checked.ok;
    const ok = (async () => {
      const store = storeOf(ctx, {});
      try {
        for await (const _ of store.list(RUNS_PREFIX)) break;
        return true;
      } catch (e) {
        ctx.logger().warn({ err: e }, 'backup store not reachable; not ready');
        return false;
      } finally {
        store.close();
      }
    })();
    checked = { at: Date.now(), ok };
    return ok;
  };
}
