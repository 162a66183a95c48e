/** The `jobs` section: what `arangops jobs` schedules, and when. Light: no engine, no node-cron. */
import { z } from 'zod';

/** The jobs, by the name their run records, metrics (`task`) and `--once` use. */
export const JOB_NAMES = ['backup', 'verify-cheap', 'verify', 'drift', 'prune'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** The config key of a job: camelCase, as the chart's `--set jobs.<key>.…` spells it. */
export const JOB_CONFIG_KEYS = {
  backup: 'backup',
  'verify-cheap': 'verifyCheap',
  verify: 'verify',
  drift: 'drift',
  prune: 'prune',
} as const satisfies Record<JobName, string>;

function jobSchema(what: string, schedule: string, when: string) {
  return z
    .strictObject({
      enabled: z.boolean().default(true).describe(`Run ${what}.`),
      schedule: z.string().min(1).default(schedule).describe(`Cron schedule (5 fields) of ${what}; ${when}.`),
    })
    .prefault({});
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const jobsConfigSchema = z
  .strictObject({
    host: z.string().min(1).default('0.0.0.0').describe('Address the jobs HTTP server binds to.'),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(9102)
      .describe('Port of the jobs HTTP server (/metrics, /healthz, /readyz).'),
    timeZone: z
      .string()
      .refine(isTimeZone, 'not an IANA time zone (e.g. Etc/UTC, Europe/Berlin)')
      .default('Etc/UTC')
      .describe(
        'IANA time zone the schedules are read in; with daylight saving, a run in the skipped spring hour is skipped that day.',
      ),
    gracePeriodSeconds: z
      .number()
      .int()
      .nonnegative()
      .default(300)
      .describe('After SIGTERM, how long a running job may finish before it is aborted safely.'),
    backup: jobSchema('the backup', '0 2 * * *', 'default daily 02:00'),
    verifyCheap: jobSchema(
      'the cheap verification of the latest backup',
      '30 3 * * *',
      'the jobs process runs it right after every backup instead; CronJobs use this',
    ),
    verify: jobSchema('the full verification (restore and check)', '0 4 * * 0', 'default Sundays 04:00'),
    drift: jobSchema('the schema drift check', '15 * * * *', 'default hourly'),
    prune: jobSchema('the pruning of backups past retention', '0 6 * * *', 'default daily 06:00'),
  })
  .prefault({});

export type JobsConfig = z.infer<typeof jobsConfigSchema>;
