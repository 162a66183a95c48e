/**
 * The end of `npm start`: the exporter and the jobs process served side by side, a summary of what
 * ran and where to look, then both served until SIGINT or SIGTERM (Ctrl-C, or a supervisor
 * signalling the top process), and everything stopped before the command returns.
 */
import { basename } from 'node:path';
import { recordBackupMetrics, recordVerifyMetrics } from '@arangops/backup';
import { type ArangoConnection, InputError } from '@arangops/core';
import type { DriftReport, LoadedProfile } from '@arangops/schema';
import type { CliContext } from '../context.js';
import { wireExporter } from '../exporter-wiring.js';
import { type RunningJobs, startJobs } from '../jobs/process.js';
import { untilSignal } from '../signals.js';
import type { DemoBackup } from './demo-backup.js';
import type { DemoVerification } from './demo-verify.js';

export interface DemoOutcome {
  database: string;
  /** The last drift check of the run. */
  drift: DriftReport;
  /** Absent against a real server: the demo takes no backup there. */
  backup?: DemoBackup;
  verification?: DemoVerification;
}

interface Address {
  host: string;
  port: number;
}

type Say = (text: string) => void;

/** Serves until a signal; the servers are closed (and a running job given its grace) before it returns. */
export async function serveDemo(
  ctx: CliContext,
  connection: ArangoConnection,
  loaded: LoadedProfile,
  outcome: DemoOutcome,
  address: Address,
  say: Say,
): Promise<void> {
  const exporter = await onPortOrFree(
    address.port,
    async (port) => {
      const wired = wireExporter(ctx, connection, loaded, { host: address.host, port });
      try {
        return { wired, server: await wired.exporter.start() };
      } catch (e) {
        wired.close();
        throw e;
      }
    },
    say,
  );
  let jobs: RunningJobs | undefined;
  try {
    const { backup, verification } = outcome;
    if (backup) {
      jobs = await onPortOrFree(
        ctx.config().jobs.port,
        (port) => startJobs(jobsContext(ctx, connection, backup, { host: address.host, port })),
        say,
      );
      // The runs the demo made are the jobs process's first: its page shows them as a scheduled run would.
      recordBackupMetrics(jobs.metrics.backup, outcome.database, backup.result);
      if (verification) recordVerifyMetrics(jobs.metrics.verify, verification.result);
    }
    say(summary(ctx, outcome, exporter.server.url, jobs?.url));
    const signal = await untilSignal();
    // The jobs process runs only beside the simulator (a real server gets no demo backups).
    say(`\n${signal}: stopping the exporter${jobs ? ', the jobs process and the simulator' : ''}…`);
  } finally {
    await jobs?.stop();
    await exporter.server.close();
    exporter.wired.close();
  }
}

/** The configured port, or a free one when something else holds it: a demo should still serve. */
async function onPortOrFree<T>(port: number, start: (port: number) => Promise<T>, say: Say): Promise<T> {
  try {
    return await start(port);
  } catch (e) {
    if (!(e instanceof InputError && (e.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE'))
      throw e;
    say(`${e.message}; the demo takes a free port instead.`);
    return start(0);
  }
}

/** The jobs process of the demo: the simulator, the demo's store and key, on loopback. */
function jobsContext(
  ctx: CliContext,
  connection: ArangoConnection,
  backup: DemoBackup,
  at: Address,
): CliContext {
  const base = ctx.config();
  const config = {
    ...base,
    arango: { ...base.arango, url: connection.endpoints },
    backup: {
      ...base.backup,
      store: backup.store.url,
      ...(backup.keyFile ? { keyFile: backup.keyFile } : {}),
    },
    jobs: { ...base.jobs, ...at },
  };
  return { ...ctx, config: () => config, connection: () => connection };
}

function summary(
  ctx: CliContext,
  outcome: DemoOutcome,
  exporterUrl: string,
  jobsUrl: string | undefined,
): string {
  const { jobs } = ctx.config();
  const { drift, verification } = outcome;
  const differences = Object.entries(drift.summary)
    .filter(([, n]) => n > 0)
    .map(([cls, n]) => `${n} ${cls}`);
  const lines = [
    '\n## arangops is running',
    `  exporter      ${exporterUrl}/metrics   (also /healthz, /readyz)`,
    jobsUrl
      ? `  jobs          ${jobsUrl}/metrics   backup "${jobs.backup.schedule}", full verification "${jobs.verify.schedule}", drift "${jobs.drift.schedule}" (${jobs.timeZone})`
      : '  jobs          not started against a real server: `arangops jobs` with a store and key (see README)',
    `  drift         ${drift.inSync ? `in sync with profile ${basename(drift.profile)}` : `OUT OF SYNC with profile ${basename(drift.profile)}: ${differences.join(', ')}`}`,
  ];
  if (verification) {
    const { result, weekly } = verification;
    const failed = result.checks.filter((c) => c.status === 'fail').length;
    lines.push(
      `  verification  ${result.verdict.toUpperCase()}: backup ${result.backup.id} restored into a scratch database, ` +
        `${result.restoredDocuments.toLocaleString('en')} documents, ${result.checks.length} checks, ${failed} failed`,
      `  weekly report ${weekly.verdict.toUpperCase()} for ${weekly.week} so far${weekly.problems.length ? ` (${weekly.problems.join('; ')})` : ''}`,
      `                ${weekly.html}`,
    );
  }
  lines.push(
    '',
    'Ctrl-C (or SIGTERM) stops everything.',
    'Against a real cluster and S3 (read-only there: bootstrap is a dry run, no backup is taken):',
    '  ARANGO_URL=https://coordinator:8529 ARANGO_PASSWORD=… npm start',
    '  then `arangops jobs` with ARANGOPS_STORE=s3://bucket/prefix and ARANGOPS_KMS_KEY_ID=alias/… for backups',
  );
  return lines.join('\n');
}
