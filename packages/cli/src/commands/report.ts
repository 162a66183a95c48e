/**
 * `arangops report weekly|run`: the reports an SRE lead or an auditor reads,
 * from what the store holds (backups, verification results, run records).
 */
import { readFile } from 'node:fs/promises';
import type { BackupStore, Report, StoredResult, WriteReportOptions, WrittenReport } from '@arangops/backup';
import { EXIT_CODES } from '@arangops/core';
import { Command, InvalidArgumentError } from 'commander';
import type { CliContext } from '../context.js';
import { VERSION } from '../version.js';
import type { StoreFlags } from './backup.js';

// The engine and the store (AWS SDKs) load when a report is made, not when the CLI starts.
const backup = () => import('@arangops/backup');
const storeCommands = () => import('../actions/backup.js');

interface ReportFlags extends StoreFlags {
  reportDir?: string;
  rpoHours?: number;
  webhook: boolean;
}

/** Report options from config, flags over it: the report command, verify and the demo write alike. */
export function reportOptions(
  ctx: CliContext,
  flags: { reportDir?: string; rpoHours?: number } = {},
): WriteReportOptions {
  const { report, verify } = ctx.config();
  const reportDir = flags.reportDir ?? report.dir;
  return {
    toolVersion: VERSION,
    rpoHours: flags.rpoHours ?? verify.rpoHours,
    runbookBase: report.runbookBase,
    ...(reportDir ? { reportDir } : {}),
  };
}

function parseHours(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of hours > 0');
  return n;
}

function withReportOptions(cmd: Command): Command {
  return cmd
    .option('--store <url>', 'backup store: s3://bucket/prefix or file:///path (ARANGOPS_STORE)')
    .option('--report-dir <dir>', 'also write the report files here (ARANGOPS_REPORT_DIR)')
    .option('--rpo-hours <n>', 'recovery point objective (default: verify.rpoHours)', parseHours)
    .option('--no-webhook', 'do not POST the summary to report.webhookUrl (ARANGOPS_REPORT_WEBHOOK_URL)');
}

export function reportCommand(ctx: CliContext): Command {
  const report = new Command('report').description(
    'weekly and per-verification reports (JSON, Markdown, one self-contained HTML page) from the backup store; exit 1 when the verdict is fail',
  );
  report.addCommand(
    withReportOptions(new Command('weekly'))
      .description(
        'every backup, verification and drift check of an ISO week (Monday to Sunday, UTC) with 12-week trends; default: the last complete week',
      )
      .option('--week <week>', 'ISO week, e.g. 2026-W49')
      .action(async (flags: ReportFlags & { week?: string }) => {
        const engine = await backup();
        const week = flags.week ? engine.parseIsoWeek(flags.week) : engine.lastCompleteWeek(new Date());
        await makeReport(ctx, flags, (store, options) => engine.writeWeeklyReport(store, week, options));
      }),
  );
  report.addCommand(
    withReportOptions(new Command('run'))
      .description('the report of one verification: its checks, timings and collections')
      .argument(
        '[result]',
        'a result in the store (results/….json) or a result file; default: the newest in the store',
      )
      .action(async (result: string | undefined, flags: ReportFlags) => {
        const engine = await backup();
        await makeReport(ctx, flags, async (store, options) => {
          const stored = await readResultArgument(store, result);
          return engine.writeRunReport(store, stored, options);
        });
      }),
  );
  return report;
}

/** A result file on disk when one is there, else a key in the store. */
async function readResultArgument(store: BackupStore, arg: string | undefined): Promise<StoredResult> {
  const engine = await backup();
  if (arg === undefined) return engine.readStoredResult(store);
  let text: string;
  try {
    text = await readFile(arg, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return engine.readStoredResult(store, arg);
    throw e;
  }
  return engine.parseResult(text, arg);
}

async function makeReport(
  ctx: CliContext,
  flags: ReportFlags,
  write: (store: BackupStore, options: WriteReportOptions) => Promise<WrittenReport<Report>>,
): Promise<void> {
  const config = ctx.config();
  const engine = await backup();
  const store = (await storeCommands()).storeOf(ctx, flags);
  try {
    const written = await write(store, reportOptions(ctx, flags));
    const html = written.dir?.html ?? written.store.html;
    if (flags.webhook && config.report.webhookUrl) {
      await engine.sendReportSummary(config.report.webhookUrl, written.report, written.store.html);
      ctx.logger().info('report summary posted to the webhook');
    }
    if (ctx.output.json) ctx.output.printJson(written.report);
    else {
      const r = written.report;
      const fails = r.problems.filter((p) => p.severity === 'fail');
      ctx.output.print(
        [
          `${r.kind === 'weekly' ? `week ${r.week}` : `verification of ${r.verification.backupId}`}: ${r.verdict.toUpperCase()}`,
          ...fails.map((p) => `  FAIL ${p.subject} — ${p.reason}`),
          `report: ${html}`,
          `        ${written.store.json} (and .md)`,
        ].join('\n'),
      );
    }
    if (written.report.verdict === 'fail') ctx.setExitCode(EXIT_CODES.findings);
  } finally {
    store.close();
  }
}
