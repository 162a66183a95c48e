import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { JOB_NAMES, type JobName } from '../jobs/config.js';

export function jobsCommand(ctx: CliContext): Command {
  return new Command('jobs')
    .description(
      'run backup, verifications, drift and prune on their schedules (config jobs.*), serving /metrics, /healthz and /readyz; SIGTERM lets a running job finish within jobs.gracePeriodSeconds, then aborts it safely',
    )
    .addOption(
      new Option(
        '--once <job>',
        'run one job now and exit with its exit code (for Kubernetes CronJobs)',
      ).choices(JOB_NAMES),
    )
    .action(async (opts: { once?: JobName }) => {
      const { runJobs, runOnce } = await import('../jobs/process.js');
      if (opts.once) ctx.setExitCode(await runOnce(ctx, opts.once));
      else await runJobs(ctx);
    });
}
