import { isArangopsError } from '@arangops/core';
import type { BootstrapAction, LoadedProfile } from '@arangops/schema';
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
        resolvePassword,
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
      // A dry run changes nothing, so it needs no password: it lists the sources the real run reads.
      const passwords = result.dryRun
        ? await passwordsNeeded(profile, result.plan.actions, ctx.env, resolvePassword)
        : undefined;
      const format = flags.format ?? (ctx.output.json ? 'json' : 'text');
      if (format === 'json') {
        ctx.output.printJson({
          dryRun: result.dryRun,
          plan: result.plan,
          ...(passwords ? { passwordsNeeded: passwords } : {}),
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
        if (passwords?.length) ctx.output.print(renderPasswordsNeeded(passwords));
        ctx.output.print(renderDriftReport(result.report, format, { color: useColor(ctx) }));
      }
      if (result.dryRun) return;
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

/** A password the real run reads for a user it creates, and whether it is there now. */
interface PasswordNeeded {
  user: string;
  /** `env NAME` or `file PATH`, as the profile declares it. */
  source: string;
  ready: boolean;
  /** Why it is not ready: the message the real run would stop with. */
  problem?: string;
}

async function passwordsNeeded(
  loaded: LoadedProfile,
  actions: readonly BootstrapAction[],
  env: NodeJS.ProcessEnv,
  resolvePassword: typeof import('@arangops/schema').resolvePassword,
): Promise<PasswordNeeded[]> {
  const needed: PasswordNeeded[] = [];
  for (const action of actions) {
    if (action.op !== 'createUser') continue;
    const { user } = action;
    const spec = loaded.profile.users[user]!;
    const source = 'env' in spec.password ? `env ${spec.password.env}` : `file ${spec.password.file}`;
    try {
      await resolvePassword(user, spec, env);
      needed.push({ user, source, ready: true });
    } catch (e) {
      if (!isArangopsError(e)) throw e;
      needed.push({ user, source, ready: false, problem: e.message });
    }
  }
  return needed;
}

function renderPasswordsNeeded(passwords: readonly PasswordNeeded[]): string {
  const missing = passwords.filter((p) => !p.ready).length;
  const lines = [
    `Passwords the real run reads (${passwords.length}${missing ? `, ${missing} missing` : ''}):`,
    ...passwords.map((p) => `  ${p.user.padEnd(16)} ${p.source}${p.ready ? '' : ' (missing)'}`),
  ];
  return `${lines.join('\n')}\n`;
}
