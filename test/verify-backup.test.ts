/**
 * Backup → verify end to end: the seeded CodeValdCortex database on a 3.11
 * and a 3.12 simulator, single and cluster (or on the real server ARANGO_URL
 * names), backed up with a key file into a folder store and with KMS into S3
 * (moto), then verified with every check.
 */
import { randomBytes } from 'node:crypto';
import { awsClientConfig, loadBackupKey, openStore, type VerifyResult } from '@arangops/backup';
import { awsConfigSchema } from '@arangops/core';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_ARANGO_URL } from './harness/arango-target.js';
import { backupAndVerify, keyFileKey, SEED, type SeededEnv, seededTarget } from './harness/backup-env.js';
import { requireMoto } from './harness/moto.js';
import { tempDir } from './harness/temp-dir.js';

const statuses = (r: VerifyResult) => Object.fromEntries(r.checks.map((c) => [c.name, c.status]));

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

const SIMULATED = [
  ['single', '3.11.14'],
  ['single', '3.12.10'],
  ['cluster', '3.11.14'],
  ['cluster', '3.12.10'],
] as const;

// A real server (ARANGO_URL) is one deployment of one version: the round trip runs once there.
describe.each(REAL_ARANGO_URL ? SIMULATED.slice(0, 1) : SIMULATED)(
  'backup → verify (%s %s when simulated), key file, folder store',
  (mode, version) => {
    let env: SeededEnv;
    beforeAll(async () => {
      env = await seededTarget(mode, version);
    });
    afterAll(() => env.stop());

    it('passes every check and drops its scratch database', async () => {
      const store = openStore(`file://${tempDir('store')}`, { aws: awsConfigSchema.parse({}) });
      const result = await backupAndVerify(env, store, await keyFileKey());
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
  },
);

describe('backup → verify with KMS into S3 (moto)', () => {
  it('passes every check', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const aws = awsConfigSchema.parse({ endpoint: motoUrl, accessKeyId: 'test', secretAccessKey: 'test' });
    const bucket = `verify-${randomBytes(4).toString('hex')}`;
    await new S3Client(awsClientConfig(aws)).send(new CreateBucketCommand({ Bucket: bucket }));
    const kms = new KMSClient(awsClientConfig(aws));
    const keyId = (await kms.send(new CreateKeyCommand({})))?.KeyMetadata?.KeyId ?? '';
    const env = await seededTarget('cluster', '3.12.10');
    try {
      const store = openStore(`s3://${bucket}/nightly`, { aws });
      const key = await loadBackupKey({ kmsKeyId: keyId }, aws);
      const result = await backupAndVerify(env, store, key);
      expect(statuses(result)).toEqual(EVERY_CHECK);
    } finally {
      await env.stop();
    }
  });
});
