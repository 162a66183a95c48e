/**
 * A failed backup leaves no manifest, no orphaned multipart upload, and one line saying why:
 * S3 failing mid-upload, ArangoDB failing mid-dump, KMS refusing a data key. (A key file of the
 * wrong length: backup-cli.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type BackupStore,
  KeyError,
  listBackups,
  loadBackupKey,
  openStore,
  runBackup,
  StoreError,
} from '@arangops/backup';
import { createArangoConnection } from '@arangops/core';
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget, simOnly } from '../harness/arango-target.js';
import { requireMoto } from '../harness/moto.js';
import { failingProxy, KMS_ACCESS_DENIED, S3_INTERNAL_ERROR } from './failing-proxy.js';
import { motoAws, newBucket, newKmsKey, sdkConfig } from './helpers.js';

const DATABASE = 'codevaldcortex';
const MiB = 1024 * 1024;

async function s3State(motoUrl: string, bucket: string) {
  const s3 = new S3Client(sdkConfig(motoUrl));
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  s3.destroy();
  const keys = (objects.Contents ?? []).map((o) => o.Key!);
  return {
    uploads: uploads.Uploads ?? [],
    keys,
    manifests: keys.filter((k) => k.endsWith('arangops-manifest.json')),
  };
}

function oneLine(e: unknown): string {
  const message = (e as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

describe('S3 failing mid-upload', () => {
  it('aborts the multipart upload when S3 fails a part, and leaves no object', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const bucket = await newBucket(motoUrl);
    const proxy = await failingProxy(motoUrl, (method, url) =>
      method === 'PUT' && url.searchParams.get('partNumber') === '2' ? S3_INTERNAL_ERROR : undefined,
    );
    const store = openStore(`s3://${bucket}/p`, { aws: motoAws(proxy.url), partSizeBytes: 5 * MiB });
    try {
      const err = await store
        .put('backups/x/big.enc', Readable.from([randomBytes(13 * MiB)]))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect(oneLine(err)).toMatch(/cannot upload backups\/x\/big\.enc: InternalError \(HTTP 500\)/);
      expect(proxy.failed).toBeGreaterThan(0);
      expect(await s3State(motoUrl, bucket)).toMatchObject({ uploads: [], keys: [] });
    } finally {
      store.close();
      await proxy.close();
    }
  });

  it('aborts the multipart upload when the data stream fails after a part was sent', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const bucket = await newBucket(motoUrl);
    const store = openStore(`s3://${bucket}`, { aws: motoAws(motoUrl), partSizeBytes: 5 * MiB });
    async function* failing() {
      yield randomBytes(6 * MiB);
      yield randomBytes(1 * MiB);
      throw new Error('source broke');
    }
    try {
      await expect(store.put('backups/x/big.enc', Readable.from(failing()))).rejects.toThrow(/source broke/);
      expect(await s3State(motoUrl, bucket)).toMatchObject({ uploads: [], keys: [] });
    } finally {
      store.close();
    }
  });
});

describe('a backup that fails', () => {
  let target: ArangoTarget;
  beforeAll(async () => {
    target = await arangoTarget({
      mode: 'cluster',
      version: '3.12.10',
      seed: { agents: 30, executions: 60, communications: 80 },
    });
  });
  afterAll(() => target.stop());

  async function backupInto(store: BackupStore, kmsKeyId: string, kmsUrl: string) {
    const connection = createArangoConnection(
      target.config({ retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 } }),
    );
    try {
      const key = await loadBackupKey({ kmsKeyId }, motoAws(kmsUrl));
      return await runBackup({
        connection,
        database: DATABASE,
        store,
        key,
        toolVersion: 'test',
        batchSize: 10,
      }).catch((e: unknown) => e as Error);
    } finally {
      connection.close();
    }
  }

  it('when S3 fails mid-backup: no manifest, no multipart upload, the reason in one line', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const bucket = await newBucket(motoUrl);
    const kmsKeyId = await newKmsKey(motoUrl);
    // The data object of the largest collection fails; everything before it went through.
    const proxy = await failingProxy(motoUrl, (method, url) =>
      method === 'PUT' && url.pathname.includes('agent_communications_') ? S3_INTERNAL_ERROR : undefined,
    );
    const store = openStore(`s3://${bucket}/prod`, { aws: motoAws(proxy.url) });
    try {
      const err = await backupInto(store, kmsKeyId, motoUrl);
      expect(err).toBeInstanceOf(StoreError);
      expect(oneLine(err)).toMatch(
        /cannot upload backups\/.+\/agent_communications_[0-9a-f]{32}\.(structure\.json|data\.json\.gz)\.enc: InternalError/,
      );
      const state = await s3State(motoUrl, bucket);
      expect(state.uploads).toEqual([]);
      expect(state.manifests).toEqual([]);
      expect(state.keys.length).toBeGreaterThan(0);
      const [listed] = await listBackups(store);
      expect(listed).toMatchObject({ complete: false, problem: 'no manifest' });
    } finally {
      store.close();
      await proxy.close();
    }
  });

  it('when ArangoDB fails mid-dump: no manifest, no multipart upload, the reason in one line', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    if (!simOnly(target, 'ArangoDB failing mid-dump')) return;
    const bucket = await newBucket(motoUrl);
    const kmsKeyId = await newKmsKey(motoUrl);
    const store = openStore(`s3://${bucket}`, { aws: motoAws(motoUrl) });
    // A next-batch request fails: earlier batches of the collection are already on their way to S3.
    target.sim.faults.failNext('^POST /_api/cursor/[0-9]+$', 1, 503, 503, 'service unavailable');
    try {
      const err = await backupInto(store, kmsKeyId, motoUrl);
      expect(oneLine(err)).toMatch(/service unavailable/);
      const state = await s3State(motoUrl, bucket);
      expect(state.uploads).toEqual([]);
      expect(state.manifests).toEqual([]);
    } finally {
      await target.sim.faults.reset();
      store.close();
    }
  });

  it('when KMS denies GenerateDataKey: nothing stored, a key error in one line', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const bucket = await newBucket(motoUrl);
    const kmsKeyId = await newKmsKey(motoUrl);
    const kms = await failingProxy(motoUrl, (_method, _url, headers) =>
      headers['x-amz-target'] === 'TrentService.GenerateDataKey' ? KMS_ACCESS_DENIED : undefined,
    );
    const store = openStore(`s3://${bucket}`, { aws: motoAws(motoUrl) });
    try {
      const err = await backupInto(store, kmsKeyId, kms.url);
      expect(err).toBeInstanceOf(KeyError);
      expect(oneLine(err)).toMatch(
        /^cannot encrypt: AccessDeniedException: User is not authorized to perform: kms:GenerateDataKey/,
      );
      expect(kms.failed).toBeGreaterThan(0);
      expect(await s3State(motoUrl, bucket)).toMatchObject({ uploads: [], keys: [] });
    } finally {
      store.close();
      await kms.close();
    }
  });
});
