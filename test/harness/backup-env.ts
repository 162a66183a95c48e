/** A seeded, bootstrapped CodeValdCortex simulator and the backup → verify round trip the verify tests share. */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '@arangops/arangodb-sim';
import {
  type BackupKey,
  type BackupStore,
  loadBackupKey,
  loadChecksFile,
  openBackup,
  runBackup,
  runVerify,
  type VerifyOptions,
  type VerifyResult,
} from '@arangops/backup';
import {
  type ArangoConnection,
  arangoConfigSchema,
  awsConfigSchema,
  createArangoConnection,
} from '@arangops/core';
import { DEFAULT_PROFILE_DIR, type LoadedProfile, loadProfile, runBootstrap } from '@arangops/schema';
import { tempDir } from './temp-dir.js';

export const SEED = { agents: 60, executions: 80, communications: 200, seed: 7 };

export async function seededSim(mode: 'single' | 'cluster', version: string, seed: typeof SEED = SEED) {
  const sim = await startSimulator({ mode, version, auth: false, seed });
  const connection = createArangoConnection(
    arangoConfigSchema.parse({ url: [sim.url], retries: { max: 2, baseDelayMs: 5, maxDelayMs: 20 } }),
  );
  const loaded = await loadProfile(DEFAULT_PROFILE_DIR);
  const profile: LoadedProfile = { ...loaded, profile: { ...loaded.profile, users: {} } };
  await runBootstrap({ connection, profile, waitTimeoutMs: 0 });
  return { sim, connection, profile };
}

export async function keyFileKey(): Promise<BackupKey> {
  const file = join(tempDir('key'), 'backup.key');
  writeFileSync(file, `${randomBytes(32).toString('base64')}\n`);
  return loadBackupKey({ keyFile: file }, awsConfigSchema.parse({}));
}

export async function backupAndVerify(
  connection: ArangoConnection,
  profile: LoadedProfile,
  store: BackupStore,
  key: BackupKey,
  overrides: Partial<VerifyOptions> = {},
): Promise<VerifyResult> {
  const backupId = await takeBackup(connection, store, key);
  return verifyBackup(connection, profile, store, key, backupId, overrides);
}

/** Backs up the seeded database; returns the backup id. */
export async function takeBackup(
  connection: ArangoConnection,
  store: BackupStore,
  key: BackupKey,
): Promise<string> {
  return (await runBackup({ connection, database: 'codevaldcortex', store, key, toolVersion: 'test' }))
    .backupId;
}

/** Verifies a backup already in the store, with the profile's checks and the live database beside it. */
export async function verifyBackup(
  connection: ArangoConnection,
  profile: LoadedProfile,
  store: BackupStore,
  key: BackupKey,
  backupId: string,
  overrides: Partial<VerifyOptions> = {},
): Promise<VerifyResult> {
  const opened = await openBackup(store, backupId, key, { rpoHours: 26 });
  try {
    return await runVerify({
      backup: opened.backup,
      target: connection,
      live: connection,
      profile,
      checks: await loadChecksFile(profile.dir),
      toolVersion: 'test',
      ...overrides,
    });
  } finally {
    await opened.dispose();
  }
}
