/**
 * Backup → verify end to end: the seeded CodeValdCortex database on a 3.11
 * and a 3.12 simulator, single and cluster, backed up with a key file into a
 * folder store and with KMS into S3 (moto), then verified with every check.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '@arangops/arangodb-sim';
import {
  awsClientConfig,
  type BackupKey,
  type BackupStore,
  loadBackupKey,
  loadChecksFile,
  openBackup,
  openStore,
  runBackup,
  runVerify,
  type VerifyResult,
} from '@arangops/backup';
import {
  type ArangoConnection,
  arangoConfigSchema,
  awsConfigSchema,
  createArangoConnection,
} from '@arangops/core';
import { DEFAULT_PROFILE_DIR, type LoadedProfile, loadProfile, runBootstrap } from '@arangops/schema';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tempDir } from './harness/temp-dir.js';

const SEED = { agents: 60, executions: 80, communications: 200, seed: 7 };

export async function seededSim(mode: 'single' | 'cluster', version: string) {
  const sim = await startSimulator({ mode, version, auth: false, seed: SEED });
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

const statuses = (r: VerifyResult) => Object.fromEntries(r.checks.map((c) => [c.name, c.status]));

export async function backupAndVerify(
  connection: ArangoConnection,
  profile: LoadedProfile,
  store: BackupStore,
  key: BackupKey,
): Promise<VerifyResult> {
  const { backupId } = await runBackup({
    connection,
    database: 'codevaldcortex',
    store,
    key,
    toolVersion: 'test',
  });
  const opened = await openBackup(store, backupId, key, { rpoHours: 26 });
  try {
    return await runVerify({
      backup: opened.backup,
      target: connection,
      live: connection,
      profile,
      checks: await loadChecksFile(profile.dir),
      toolVersion: 'test',
    });
  } finally {
    await opened.dispose();
  }
}

const EVERY_CHECK = {
  manifest: 'pass',
  age: 'pass',
  objects: 'pass',
  decryption: 'pass',
  hashes: 'pass',
  pairing: 'pass',
  data: 'pass',
  lines: 'pass',
  restore: 'pass',
  counts: 'pass',
  digest: 'pass',
  structure: 'pass',
  edges: 'pass',
  profile: 'pass',
  'query:FindActiveAgentsByType': 'pass',
  'query:GetCommunicationGraph': 'pass',
  completeness: 'pass',
};

describe.each([
  ['single', '3.11.14'],
  ['single', '3.12.10'],
  ['cluster', '3.11.14'],
  ['cluster', '3.12.10'],
] as const)('backup → verify on a %s %s simulator, key file, folder store', (mode, version) => {
  let env: Awaited<ReturnType<typeof seededSim>>;
  beforeAll(async () => {
    env = await seededSim(mode, version);
  });
  afterAll(async () => {
    env.connection.close();
    await env.sim.stop();
  });

  it('passes every check and drops its scratch database', async () => {
    const store = openStore(`file://${tempDir('store')}`, { aws: awsConfigSchema.parse({}) });
    const result = await backupAndVerify(env.connection, env.profile, store, await keyFileKey());
    expect(result.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(statuses(result)).toEqual(EVERY_CHECK);
    expect(result.verdict).toBe('pass');
    expect(result.restoredDocuments).toBe(SEED.agents + SEED.executions + SEED.communications);
    expect(Object.keys(result.phases).sort()).toEqual([
      'cheap',
      'checks',
      'cleanup',
      'decrypt',
      'download',
      'restore',
    ]);
    const left = (await env.connection.database('_system').listDatabases()).filter((d) =>
      d.startsWith('arangops_verify_'),
    );
    expect(left).toEqual(['arangops_verify_lease']);
  });
});

describe('backup → verify with KMS into S3 (moto)', () => {
  const motoUrl = inject('motoUrl');
  it.skipIf(!motoUrl)('passes every check', async () => {
    const aws = awsConfigSchema.parse({ endpoint: motoUrl, accessKeyId: 'test', secretAccessKey: 'test' });
    const bucket = `verify-${randomBytes(4).toString('hex')}`;
    await new S3Client(awsClientConfig(aws)).send(new CreateBucketCommand({ Bucket: bucket }));
    const kms = new KMSClient(awsClientConfig(aws));
    const keyId = (await kms.send(new CreateKeyCommand({})))?.KeyMetadata?.KeyId ?? '';
    const env = await seededSim('cluster', '3.12.10');
    try {
      const store = openStore(`s3://${bucket}/nightly`, { aws });
      const key = await loadBackupKey({ kmsKeyId: keyId }, aws);
      const result = await backupAndVerify(env.connection, env.profile, store, key);
      expect(statuses(result)).toEqual(EVERY_CHECK);
    } finally {
      env.connection.close();
      await env.sim.stop();
    }
  });
});
