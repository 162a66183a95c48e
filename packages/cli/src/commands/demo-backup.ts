/**
 * The demo's backup step: the demo database into the store `.arangops/store/` (git-ignored), encrypted with a
 * key generated on first use at `.arangops/backup.key`, then listed. A configured store and key
 * (ARANGOPS_STORE, ARANGOPS_KEY_FILE or ARANGOPS_KMS_KEY_ID) are used instead. Returns what the
 * verify step needs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type BackupKey,
  type BackupResult,
  type BackupStore,
  backupRunRecord,
  listBackups,
  loadBackupKey,
  openStore,
  runBackup,
} from '@arangops/backup';
import type { ArangoConnection } from '@arangops/core';
import type { CliContext } from '../context.js';
import { formatBytes } from '../progress.js';
import { VERSION } from '../version.js';

export const DEMO_BACKUP_DIR = '.arangops/store';
export const DEMO_KEY_FILE = '.arangops/backup.key';

export interface DemoBackup {
  backupId: string;
  result: BackupResult;
  store: BackupStore;
  key: BackupKey;
  /** The key file used, when not KMS: the demo's jobs process reads it too. */
  keyFile: string | undefined;
}

export async function backupStep(
  ctx: CliContext,
  connection: ArangoConnection,
  database: string,
  say: (text: string) => void,
): Promise<DemoBackup> {
  const config = ctx.config();
  const { kmsKeyId } = config.backup;
  const keyFile = kmsKeyId ? undefined : (config.backup.keyFile ?? resolve(DEMO_KEY_FILE));
  if (keyFile && !existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    // As `openssl rand -base64 32` writes it; readable by this user only.
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  const key = await loadBackupKey(kmsKeyId ? { kmsKeyId } : { keyFile }, config.aws);
  const store = openStore(config.backup.store ?? pathToFileURL(resolve(DEMO_BACKUP_DIR)).href, {
    aws: config.aws,
  });
  const result = await runBackup({
    connection,
    database,
    store,
    key,
    toolVersion: VERSION,
    logger: ctx.logger(),
  });
  await ctx.runRecords().write(backupRunRecord(result));
  const complete = (await listBackups(store, { key })).filter((b) => b.complete).length;
  say(
    `\n## Backup\n${result.backupId}: ${result.documents.toLocaleString('en')} documents in ` +
      `${result.manifest.collections.length} collections, ${formatBytes(result.storedBytes)} encrypted ` +
      `(AWS Encryption SDK, key ${key.keyId}${keyFile ? ` from ${keyFile}` : ''}) into ${store.url}, ` +
      `${complete} complete backup(s) there.\n` +
      `Get a plain arangodump directory for arangorestore: arangops backup decrypt ${result.backupId} <dir> --store ${store.url}` +
      `${keyFile ? ` --key-file ${keyFile}` : ''}`,
  );
  return { backupId: result.backupId, result, store, key, keyFile };
}
