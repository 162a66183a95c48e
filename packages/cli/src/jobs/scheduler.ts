/**
 * The schedule of `arangops jobs`: node-cron fires each enabled job in the
 * configured time zone; a run still going when its next slot comes makes
 * node-cron skip that slot (noOverlap); backup and the verifications share one
 * lock, so they never overlap each other (a verification due while a backup
 * runs waits for it). The cheap verification runs right after every backup.
 */
import { ConfigError, EXIT_CODES, type Logger } from '@arangops/core';
import type { ScheduledTask } from 'node-cron';
import { InterruptedError } from '../interrupt.js';
import { JOB_CONFIG_KEYS, JOB_NAMES, type JobName, type JobsConfig } from './config.js';

/** Runs one job to its end; resolves with its exit code. Aborting `signal` stops it safely. */
export type RunJob = (job: JobName, signal: AbortSignal) => Promise<number>;

/** Jobs that read or write the same backups; one at a time. */
const EXCLUSIVE: ReadonlySet<JobName> = new Set(['backup', 'verify-cheap', 'verify']);

export interface Scheduler {
  /** The jobs running now, or waiting for the backup/verification lock. */
  running(): JobName[];
  /**
   * No new runs; a running job gets `graceMs` to finish, then its signal is
   * aborted and it cleans up. Resolves once nothing runs.
   */
  stop(graceMs: number): Promise<void>;
}

export interface SchedulerOptions {
  config: JobsConfig;
  run: RunJob;
  logger: Logger;
  /** node-cron's schedule (tests drive it with fake timers). */
  schedule: typeof import('node-cron').schedule;
  validate: typeof import('node-cron').validate;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { config, logger } = options;
  const issues = JOB_NAMES.filter((job) => {
    const { enabled, schedule } = config[JOB_CONFIG_KEYS[job]];
    return enabled && !options.validate(schedule);
  }).map((job) => ({
    path: `jobs.${JOB_CONFIG_KEYS[job]}.schedule`,
    message: `not a cron schedule: "${config[JOB_CONFIG_KEYS[job]].schedule}"`,
  }));
  if (issues.length > 0) throw new ConfigError(issues);
  const abort = new AbortController();
  const active = new Map<JobName, Promise<number>>();
  let exclusive: Promise<unknown> = Promise.resolve();
  let stopping = false;

  const runOne = async (job: JobName): Promise<number> => {
    if (stopping) return 0;
    const started = Date.now();
    logger.info({ task: job }, 'job started');
    const code = await options.run(job, abort.signal).catch((e: unknown) => {
      logger.error({ task: job, err: e }, 'job failed');
      return EXIT_CODES.internal;
    });
    logger.info(
      { task: job, exitCode: code, durationSeconds: (Date.now() - started) / 1000 },
      'job finished',
    );
    return code;
  };

  const withLock = (job: JobName, fn: () => Promise<number>): Promise<number> => {
    if (!EXCLUSIVE.has(job)) return fn();
    const turn = exclusive.then(fn);
    exclusive = turn.catch(() => undefined);
    return turn;
  };

  const run = (job: JobName): Promise<number> => {
    const current = active.get(job);
    if (current) {
      logger.warn({ task: job }, 'job still running; this run is skipped');
      return current;
    }
    const done = withLock(job, async () => {
      const code = await runOne(job);
      if (job === 'backup' && code === 0 && config.verifyCheap.enabled) {
        // Still under the lock: nothing touches the backup store between the two.
        active.set('verify-cheap', done);
        await runOne('verify-cheap');
      }
      return code;
    }).finally(() => {
      for (const [name, run] of active) if (run === done) active.delete(name);
    });
    active.set(job, done);
    return done;
  };

  // node-cron's own messages (a missed execution after a stalled event loop…) go to our log, not the console.
  const cronLogger = {
    info: (message: string) => logger.debug(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string | Error, err?: Error) => logger.error({ err: err ?? message }, String(message)),
    debug: (message: string | Error) => logger.debug(String(message)),
  };
  const tasks: ScheduledTask[] = [];
  for (const job of JOB_NAMES) {
    const { enabled, schedule } = config[JOB_CONFIG_KEYS[job]];
    // In this process the cheap verification follows each backup; its schedule is for CronJobs.
    if (!enabled || job === 'verify-cheap') continue;
    const task = options.schedule(schedule, () => run(job), {
      name: job,
      timezone: config.timeZone,
      noOverlap: true,
      logger: cronLogger,
    });
    task.on('execution:overlap', () =>
      logger.warn({ task: job }, 'job still running; its next run is skipped'),
    );
    tasks.push(task);
  }
  logger.info(
    {
      timeZone: config.timeZone,
      jobs: tasks.map((t) => ({
        task: t.name,
        schedule: t.getPattern(),
        next: t.getNextRun()?.toISOString(),
      })),
    },
    'jobs scheduled',
  );

  return {
    running: () => [...active.keys()],
    async stop(graceMs) {
      stopping = true;
      await Promise.all(tasks.map((t) => t.stop()));
      const all = () => Promise.allSettled([...new Set(active.values())]);
      if (active.size === 0) return;
      logger.info({ running: [...active.keys()], graceSeconds: graceMs / 1000 }, 'waiting for running jobs');
      let timer: NodeJS.Timeout | undefined;
      const expired = await Promise.race([
        all().then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (expired) {
        logger.warn({ running: [...active.keys()] }, 'grace period over; aborting the running jobs');
        abort.abort(new InterruptedError('stopped: the grace period after SIGTERM is over'));
        await all();
      }
    },
  };
}
