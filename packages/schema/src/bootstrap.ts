/** `arangops bootstrap` as a library: wait, inspect, plan, apply, verify. */
import { type ArangoConnection, InputError, type Logger } from '@arangops/core';
import { applyBootstrap } from './apply.js';
import { diffSchema } from './diff.js';
import { buildReport } from './drift.js';
import { compileIgnore } from './ignore.js';
import { inspectDatabase } from './inspect.js';
import { planBootstrap } from './plan.js';
import type { ApplyResult, BootstrapOptions, BootstrapResult, DriftClass, LoadedProfile } from './types.js';
import { waitForServer } from './wait.js';

export interface RunBootstrapOptions extends BootstrapOptions {
  connection: ArangoConnection;
  profile: LoadedProfile;
  dryRun?: boolean;
  ignore?: readonly string[];
  failOn?: DriftClass;
  /** How long to wait for the server to be ready. Default 300 s; 0 skips the wait. */
  waitTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** The user the connection authenticates as; bootstrap refuses to manage it (or root). */
  connectionUser?: string;
}

/**
 * Applies additive and mutable drift (recreate/destructive only when allowed),
 * then inspects again: the report is what the server really holds afterwards,
 * because "ensure" calls answer 200 for indexes that differ in name or options.
 */
export async function runBootstrap(options: RunBootstrapOptions): Promise<BootstrapResult> {
  const { connection, profile, logger } = options;
  refuseOwnAccounts(profile, options.connectionUser);
  const started = new Date();
  const waitTimeoutMs = options.waitTimeoutMs ?? 300_000;
  if (waitTimeoutMs > 0)
    await waitForServer(connection, { timeoutMs: waitTimeoutMs, ...(logger ? { logger } : {}) });

  const ignored = compileIgnore(options.ignore ?? []);
  const live = await inspectDatabase(connection, profile.profile);
  const diff = diffSchema(profile.profile, live);
  const plan = planBootstrap(
    profile.profile,
    diff.items.filter((i) => !ignored(i.path)),
    options,
  );
  const reportOf = (d: typeof diff, l: typeof live) =>
    buildReport({ profile, live: l, diff: d, started, ignore: options.ignore, failOn: options.failOn });

  if (options.dryRun) return { plan, applied: [], refused: [], dryRun: true, report: reportOf(diff, live) };

  let outcome: ApplyResult = { applied: [], refused: [] };
  if (plan.actions.length > 0) {
    outcome = await applyBootstrap(connection, profile.profile, plan, {
      serverVersion: live.version,
      ...(logger ? { logger } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
  }
  const after = plan.actions.length > 0 ? await inspectDatabase(connection, profile.profile) : live;
  const report = reportOf(plan.actions.length > 0 ? diffSchema(profile.profile, after) : diff, after);
  return { plan, ...outcome, dryRun: false, report };
}

/**
 * Bootstrap must not lock out the account it runs as, nor root: a profile declaring
 * `root: {active: false}` would end every later call with 401. Refused before any call.
 */
function refuseOwnAccounts(loaded: LoadedProfile, connectionUser: string | undefined): void {
  const own = new Set(['root', ...(connectionUser ? [connectionUser] : [])]);
  for (const user of Object.keys(loaded.profile.users)) {
    if (!own.has(user)) continue;
    const why = user === connectionUser ? 'the user arangops connects as' : 'the superuser';
    throw new InputError(`bootstrap does not manage ${user} (${why}); remove it from the profile's users`, {
      file: loaded.file,
      field: `users.${user}`,
    });
  }
}
