import { DRIFT_CLASSES, type DriftClass, REPORT_FORMATS, type ReportFormat } from '@arangops/schema/settings';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext } from '../context.js';
import { recordingFailure } from '../run-recording.js';
import { collectGlob, useColor } from './drift.js';

interface BootstrapFlags {
  profile?: string;
  dryRun?: boolean;
  allowRecreate?: boolean;
  allowDestructive?: boolean;
  waitTimeout?: number;
  format?: ReportFormat;
  failOn?: DriftClass;
  ignore: string[];
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected seconds ≥ 0');
  return n;
}

export function bootstrapCommand(ctx: CliContext): Command {
  return new Command('bootstrap')
    .description(
      'create what the profile declares (database, analyzers, collections, indexes, views, graphs, users, grants), then verify',
    )
    .option(
      '--profile <dir>',
      'profile folder holding schema.yaml, or builtin:<name> (default: config schema.profileDir)',
    )
    .option('--dry-run', 'print the plan and the current drift; change nothing')
    .option(
      '--allow-recreate',
      'replace indexes, views and analyzers whose definition differs (the old one stays if the server refuses the new)',
    )
    .option(
      '--allow-destructive',
      'also drop undeclared indexes, views, view links, analyzers and graphs (never collections or databases)',
    )
    .option(
      '--wait-timeout <seconds>',
      'wait this long for the server (every cluster member GOOD); 0 = do not wait',
      parseSeconds,
    )
    .addOption(new Option('--format <format>', 'format of the final drift report').choices(REPORT_FORMATS))
    .addOption(
      new Option('--fail-on <class>', 'least severe remaining drift class that fails').choices(DRIFT_CLASSES),
    )
    .option('--ignore <glob>', 'leave drift paths matching the glob alone (repeatable)', collectGlob, [])
    .action(async (flags: BootstrapFlags) => {
      const {
        loadProfile,
        renderBootstrapPlan,
        renderDriftReport,
        resolvePasswords,
        runBootstrap,
        runRecordOf,
      } = await import('@arangops/schema');
      const config = ctx.config().schema;
      const profile = await loadProfile(flags.profile ?? config.profileDir);
      const result = await recordingFailure(
        ctx,
        'bootstrap',
        () =>
          runBootstrap({
            connection: ctx.connection(),
            connectionUser: ctx.config().arango.username,
            profile,
            logger: ctx.logger(),
            env: ctx.env,
            dryRun: flags.dryRun === true,
            allowRecreate: flags.allowRecreate === true,
            allowDestructive: flags.allowDestructive === true,
            ignore: [...config.ignore, ...flags.ignore],
            failOn: flags.failOn ?? (config.failOn as DriftClass),
            waitTimeoutMs: (flags.waitTimeout ?? config.waitTimeoutSeconds) * 1000,
          }),
        { record: !flags.dryRun },
      );
      const format = flags.format ?? (ctx.output.json ? 'json' : 'text');
      if (format === 'json') {
        ctx.output.printJson({
          dryRun: result.dryRun,
          plan: result.plan,
          applied: result.applied,
          refused: result.refused,
          report: result.report,
        });
      } else {
        ctx.output.print(
          renderBootstrapPlan(
            result.plan,
            result.dryRun ? 'Bootstrap plan (dry run)' : 'Bootstrap applied',
            result.refused,
          ),
        );
        ctx.output.print(renderDriftReport(result.report, format, { color: useColor(ctx) }));
      }
      if (result.dryRun) {
        // A missing password source would stop the real run before any write; the dry run says so too (exit 2).
        await resolvePasswords(profile.profile, result.plan, ctx.env);
        return;
      }
      await ctx.runRecords().write(
        runRecordOf('bootstrap', result.report, {
          applied: result.applied.length,
          refused: result.refused.length,
        }),
      );
      // Drift that remains after applying (skipped, refused, or not taking effect) needs a human.
      if (!result.report.inSync || result.refused.length > 0) ctx.setExitCode(1);
    });
}
