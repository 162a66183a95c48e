/**
 * The demo's verify step: the backup the demo just took, restored into a scratch database and
 * checked, with the report of that run and the weekly report of the week so far.
 */

import { fileURLToPath } from 'node:url';
import {
  type BackupKey,
  type BackupStore,
  isoWeekOf,
  loadChecksFile,
  openBackup,
  renderVerifyResult,
  runVerify,
  type VerifyResult,
  verifyRunRecord,
  writeResult,
  writeRunReport,
  writeWeeklyReport,
} from '@arangops/backup';
import type { ArangoConnection } from '@arangops/core';
import type { LoadedProfile } from '@arangops/schema';
import type { CliContext } from '../context.js';
import { VERSION } from '../version.js';
import { reportOptions } from './report.js';

export interface DemoVerifyOptions {
  connection: ArangoConnection;
  store: BackupStore;
  key: BackupKey;
  backupId: string;
  profile: LoadedProfile;
  say: (text: string) => void;
}

export interface DemoVerification {
  result: VerifyResult;
  /** The weekly report: its verdict, what it found, and the path (or URL) of its HTML page. */
  weekly: { week: string; verdict: string; problems: string[]; html: string };
}

const localPath = (url: string) => (url.startsWith('file:') ? fileURLToPath(url) : url);

export async function demoVerifyStep(ctx: CliContext, options: DemoVerifyOptions): Promise<DemoVerification> {
  const { verify } = ctx.config();
  options.say(`\n## Verify: backup ${options.backupId} restored into a scratch database and checked`);
  const opened = await openBackup(options.store, options.backupId, options.key, {
    rpoHours: verify.rpoHours,
  });
  try {
    const result = await runVerify({
      backup: opened.backup,
      target: options.connection,
      live: options.connection,
      profile: options.profile,
      checks: await loadChecksFile(options.profile.dir),
      placement: { replicationFactor: verify.replicationFactor, sharding: verify.sharding },
      parallel: verify.parallel,
      toolVersion: VERSION,
      logger: ctx.logger(),
    });
    const written = await writeResult(options.store, result);
    await ctx.runRecords().write(verifyRunRecord(result));
    options.say(renderVerifyResult(result).trimEnd());
    options.say(`Result written to ${written}`);
    const report = await writeRunReport(options.store, { location: written, result }, reportOptions(ctx));
    options.say(
      `Report of this verification (open in a browser): ${localPath(report.dir?.html ?? report.store.html)}`,
    );
    // The week so far: a new store holds this week's runs only, and the weekly report says what is missing.
    const weekly = await writeWeeklyReport(options.store, isoWeekOf(new Date()), {
      ...reportOptions(ctx),
      key: options.key,
    });
    const html = localPath(weekly.dir?.html ?? weekly.store.html);
    options.say(`\n## Weekly report, ${weekly.report.week}: ${weekly.report.verdict.toUpperCase()}\n${html}`);
    const { week, verdict, problems } = weekly.report;
    return { result, weekly: { week, verdict, problems: problems.map((p) => p.subject), html } };
  } finally {
    await opened.dispose();
  }
}
