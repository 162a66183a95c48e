/** A seeded, bootstrapped CodeValdCortex database and the backup → verify round trip the verify tests share. */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agents, communications, executions, type Simulator, startSimulator } from '@arangops/arangodb-sim';
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
import { arangoTarget, REAL_ARANGO_URL } from './arango-target.js';
import { tempDir } from './temp-dir.js';

export const SEED = { agents: 60, executions: 80, communications: 200, seed: 7 };

const RETRIES = { max: 2, baseDelayMs: 5, maxDelayMs: 20 };

/** The data set on a fresh simulator, whatever ARANGO_URL says: for CLI and fault-injection tests. */
export async function seededSim(
  mode: 'single' | 'cluster',
  version: string,
  seed: typeof SEED = SEED,
): Promise<SeededEnv & { sim: Simulator }> {
  const sim = await startSimulator({ mode, version, auth: false, seed });
  const connection = createArangoConnection(arangoConfigSchema.parse({ url: [sim.url], retries: RETRIES }));
  const loaded = await loadProfile(DEFAULT_PROFILE_DIR);
  const profile: LoadedProfile = { ...loaded, profile: { ...loaded.profile, users: {} } };
  await runBootstrap({ connection, profile, waitTimeoutMs: 0 });
  return {
    sim,
    connection,
    profile,
    database: 'codevaldcortex',
    stop: async () => {
      connection.close();
      await sim.stop();
    },
  };
}

export interface SeededEnv {
  /** The simulator, absent against a real server (ARANGO_URL). */
  sim?: Simulator;
  connection: ArangoConnection;
  /** The profile, its database renamed to `database` on a real server. */
  profile: LoadedProfile;
  /** The seeded CodeValdCortex database: `codevaldcortex` on a simulator, a test's own on a real server. */
  database: string;
  stop(): Promise<void>;
}

/**
 * The CodeValdCortex data set, bootstrapped from the profile: on a fresh simulator, or, with
 * ARANGO_URL, on the real server in a database of this test's own (dropped by `stop`), loaded
 * with the same seeded documents through the import API.
 */
export async function seededTarget(
  mode: 'single' | 'cluster',
  version: string,
  seed: typeof SEED = SEED,
): Promise<SeededEnv> {
  if (!REAL_ARANGO_URL) return seededSim(mode, version, seed);
  const loaded = await loadProfile(DEFAULT_PROFILE_DIR);
  const target = await arangoTarget();
  const connection = createArangoConnection(target.config({ retries: RETRIES }));
  const database = `codevaldcortex_test_${randomBytes(4).toString('hex')}`;
  const { codevaldcortex: spec, ...others } = loaded.profile.databases;
  if (!spec || Object.keys(others).length > 0) throw new Error('the default profile declares one database');
  const profile: LoadedProfile = {
    ...loaded,
    profile: { ...loaded.profile, users: {}, databases: { [database]: spec } },
  };
  await runBootstrap({ connection, profile, waitTimeoutMs: 30_000 });
  const now = Date.now();
  const db = connection.database(database);
  for (const [collection, docs] of [
    ['agents', agents(seed, now)],
    ['workflow_executions', executions(seed, now)],
    ['agent_communications', communications(seed, now)],
  ] as const) {
    await db.collection(collection).import([...docs], { onDuplicate: 'error', complete: true });
  }
  return {
    connection,
    profile,
    database,
    stop: async () => {
      await connection
        .database('_system')
        .dropDatabase(database)
        .catch(() => {});
      connection.close();
    },
  };
}

export async function keyFileKey(): Promise<BackupKey> {
  const file = join(tempDir('key'), 'backup.key');
  writeFileSync(file, `${randomBytes(32).toString('base64')}\n`);
  return loadBackupKey({ keyFile: file }, awsConfigSchema.parse({}));
}

export async function backupAndVerify(
  env: SeededEnv,
  store: BackupStore,
  key: BackupKey,
  overrides: Partial<VerifyOptions> = {},
): Promise<VerifyResult> {
  const backupId = await takeBackup(env, store, key);
  return verifyBackup(env, store, key, backupId, overrides);
}

/** Backs up the seeded database; returns the backup id. */
export async function takeBackup(env: SeededEnv, store: BackupStore, key: BackupKey): Promise<string> {
  const { connection, database } = env;
  return (await runBackup({ connection, database, store, key, toolVersion: 'test' })).backupId;
}

/** Verifies a backup already in the store, with the profile's checks and the live database beside it. */
export async function verifyBackup(
  { connection, profile }: SeededEnv,
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
