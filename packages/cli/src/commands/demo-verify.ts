/** The demo's verify step: the backup the demo just took, restored into a scratch database and checked. */

import { fileURLToPath } from 'node:url';
import {
  type BackupKey,
  type BackupStore,
  loadChecksFile,
  openBackup,
  renderVerifyResult,
  runVerify,
  verifyRunRecord,
  writeResult,
  writeRunReport,
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

export async function demoVerifyStep(ctx: CliContext, options: DemoVerifyOptions): Promise<void> {
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
    const html = report.dir?.html ?? report.store.html;
    options.say(
      `Report of this verification (open in a browser): ${html.startsWith('file:') ? fileURLToPath(html) : html}`,
    );
  } finally {
    await opened.dispose();
  }
}
