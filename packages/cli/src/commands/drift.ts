import type { DriftReport } from '@arangops/schema';
import { DRIFT_CLASSES, type DriftClass, REPORT_FORMATS, type ReportFormat } from '@arangops/schema/settings';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext } from '../context.js';
import { recordingFailure } from '../run-recording.js';

export interface DriftFlags {
  profile?: string;
  format?: ReportFormat;
  failOn?: DriftClass;
  ignore: string[];
  sample?: number;
}

export function collectGlob(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

/** Colour only for a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColor(ctx: CliContext): boolean {
  return !ctx.output.json && process.stdout.isTTY === true && !ctx.env.NO_COLOR;
}

export function driftCommand(ctx: CliContext): Command {
  return new Command('drift')
    .description('compare the live database with the profile; exit 0 in sync, 1 drift found, 2+ error')
    .option(
      '--profile <dir>',
      'profile folder holding schema.yaml, or builtin:<name> (default: config schema.profileDir)',
    )
    .addOption(new Option('--format <format>', 'report format').choices(REPORT_FORMATS))
    .addOption(
      new Option('--fail-on <class>', 'least severe drift class that fails the check').choices(DRIFT_CLASSES),
    )
    .option(
      '--ignore <glob>',
      'ignore drift paths matching the glob (repeatable; adds to schema.ignore)',
      collectGlob,
      [],
    )
    .option('--sample <n>', 'check N documents per collection against its validation rule', parseCount)
    .action(async (flags: DriftFlags) => {
      await driftCheck(ctx, flags);
    });
}

/** One drift check: report printed, run record written; exit code 1 when out of sync. */
export async function driftCheck(ctx: CliContext, flags: DriftFlags): Promise<DriftReport> {
  const { loadProfile, renderDriftReport, runDrift, runRecordOf } = await import('@arangops/schema');
  const config = ctx.config().schema;
  const profile = await loadProfile(flags.profile ?? config.profileDir);
  const report = await recordingFailure(ctx, 'drift', () =>
    runDrift({
      connection: ctx.connection(),
      profile,
      ignore: [...config.ignore, ...flags.ignore],
      failOn: flags.failOn ?? (config.failOn as DriftClass),
      sampleSize: flags.sample ?? config.sampleSize,
    }),
  );
  const format = flags.format ?? (ctx.output.json ? 'json' : 'text');
  ctx.output.print(renderDriftReport(report, format, { color: useColor(ctx) }));
  await ctx.runRecords().write(runRecordOf('drift', report));
  if (!report.inSync) ctx.setExitCode(1);
  return report;
}
