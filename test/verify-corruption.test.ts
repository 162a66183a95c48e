/**
 * The corruption matrix: each case ends in a failed verification that names
 * the reason, no scratch database left behind, and no crash.
 */
import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  awsClientConfig,
  BACKUP_MANIFEST_FILE,
  type BackupKey,
  type BackupStore,
  backupPrefix,
  ContentDigest,
  type LosslessDocument,
  loadBackupKey,
  type Manifest,
  openBackup,
  openStore,
  parseLossless,
  readManifest,
  runVerify,
  sealManifest,
  type VerifyResult,
} from '@arangops/backup';
import { awsConfigSchema } from '@arangops/core';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keyFileKey, type SeededEnv, seededTarget, takeBackup, verifyBackup } from './harness/backup-env.js';
import { requireMoto } from './harness/moto.js';
import { tempDir } from './harness/temp-dir.js';

let env: SeededEnv;
let key: BackupKey;
let store: BackupStore;
let backupId: string;
beforeAll(async () => {
  env = await seededTarget('single', '3.12.10');
  key = await keyFileKey();
});
afterAll(() => env.stop());
beforeEach(async () => {
  store = openStore(`file://${tempDir('store')}`, { aws: awsConfigSchema.parse({}) });
  backupId = await takeBackup(env, store, key);
});

async function scratchLeft(): Promise<string[]> {
  return (await env.connection.database('_system').listDatabases()).filter(
    (d) => d.startsWith('arangops_verify_') && d !== 'arangops_verify_lease',
  );
}

async function failedCheck(result: VerifyResult, name: string): Promise<string> {
  expect(result.verdict).toBe('fail');
  expect(await scratchLeft()).toEqual([]);
  const check = result.checks.find((c) => c.name === name);
  expect(check?.status, JSON.stringify(result.checks, null, 1)).toBe('fail');
  return check!.reason;
}

const verify = (k: BackupKey = key) => verifyBackup(env, store, k, backupId);

function dataFile(manifest: Manifest, collection: string) {
  const c = manifest.collections.find((x) => x.name === collection)!;
  return manifest.files.find((f) => f.name === c.dataFile)!;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Rewrites a collection's data object as a faulty backup tool would have
 * written it: re-encrypted with the right key, manifest updated and resealed,
 * so only the checks that look deeper can notice.
 */
async function rewriteCollection(
  collection: string,
  edit: (lines: string[]) => string[],
  manifestDocuments?: number,
): Promise<void> {
  const { manifest, cipher } = await readManifest(store, backupId, { key });
  const file = dataFile(manifest, collection);
  const stored = await store.getBytes(`${backupPrefix(backupId)}${file.object}`);
  const plain = await buffer(Readable.from([stored]).pipe(cipher!.decryptStream()));
  const lines = edit(gunzipSync(plain).toString('utf8').split('\n').filter(Boolean));
  const newPlain = gzipSync(lines.length ? `${lines.join('\n')}\n` : '');
  const newStored = await buffer(Readable.from([newPlain]).pipe(cipher!.encryptStream()));
  await store.put(`${backupPrefix(backupId)}${file.object}`, newStored);
  Object.assign(file, {
    plainBytes: newPlain.length,
    plainSha256: sha256(newPlain),
    storedBytes: newStored.length,
    storedSha256: sha256(newStored),
  });
  const digest = new ContentDigest();
  for (const l of lines) digest.add(parseLossless(l) as LosslessDocument);
  const entry = manifest.collections.find((c) => c.name === collection)!;
  entry.documents = manifestDocuments ?? lines.length;
  entry.digest = digest.hex();
  await store.put(`${backupPrefix(backupId)}${BACKUP_MANIFEST_FILE}`, await sealManifest(manifest, cipher!));
}

describe('corruption matrix', () => {
  it('one flipped bit in a data object', async () => {
    const { manifest } = await readManifest(store, backupId);
    const object = `${backupPrefix(backupId)}${dataFile(manifest, 'agents').object}`;
    const bytes = await store.getBytes(object);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x10;
    await store.put(object, bytes);
    const result = await verify();
    expect(await failedCheck(result, 'decryption')).toMatch(/agents/);
    expect(await failedCheck(result, 'hashes')).toMatch(/stored bytes differ/);
  });

  it('a truncated object', async () => {
    const { manifest } = await readManifest(store, backupId);
    const object = `${backupPrefix(backupId)}${dataFile(manifest, 'agent_communications').object}`;
    const bytes = await store.getBytes(object);
    await store.put(object, bytes.subarray(0, bytes.length - 100));
    expect(await failedCheck(await verify(), 'objects')).toMatch(
      /agent_communications.* has \d+ bytes, the manifest says/,
    );
  });

  it('a missing data object', async () => {
    const { manifest } = await readManifest(store, backupId);
    await store.delete([`${backupPrefix(backupId)}${dataFile(manifest, 'workflow_executions').object}`]);
    const result = await verify();
    expect(await failedCheck(result, 'objects')).toMatch(/workflow_executions.* is missing/);
    expect(await failedCheck(result, 'pairing')).toMatch(/collection "workflow_executions" has no data file/);
  });

  it('an edited manifest', async () => {
    const path = `${backupPrefix(backupId)}${BACKUP_MANIFEST_FILE}`;
    const text = (await store.getBytes(path)).toString('utf8');
    await store.put(path, text.replace(/"documents": 60\b/, '"documents": 61'));
    expect(await failedCheck(await verify(), 'manifest')).toMatch(/changed after the backup was written/);
  });

  it('the wrong key', async () => {
    expect(await failedCheck(await verify(await keyFileKey()), 'manifest')).toMatch(
      /^key key-file:[0-9a-f]{16} unwraps none of the object's data keys \(a key file\): the backup was encrypted with another key/,
    );
  });

  it('dangling edges', async () => {
    await rewriteCollection('agent_communications', (lines) => [
      ...lines,
      JSON.stringify({
        ...JSON.parse(lines[0]!),
        _key: 'ghost',
        _from: 'agents/nobody',
        _to: 'agents/agent-000001',
      }),
    ]);
    expect(await failedCheck(await verify(), 'edges')).toMatch(
      /^1 dangling edge\(s\), e\.g\. agent_communications\/ghost \(agents\/nobody -> agents\/agent-000001\)$/,
    );
  });

  it('a backup missing a declared index', async () => {
    const db = env.connection.database(env.database);
    const index = (await db.collection('agents').indexes()).find((i) => i.name === 'idx_agents_createdAt')!;
    await db.collection('agents').dropIndex(index.id);
    try {
      backupId = await takeBackup(env, store, key);
      expect(await failedCheck(await verify(), 'profile')).toMatch(/idx_agents_createdAt/);
    } finally {
      await db
        .collection('agents')
        .ensureIndex({ name: 'idx_agents_createdAt', type: 'persistent', fields: ['createdAt'] });
    }
  });

  it('an empty collection where the manifest says 1,000 documents', async () => {
    await rewriteCollection('agents', () => [], 1000);
    expect(await failedCheck(await verify(), 'lines')).toBe(
      'agents: the data file holds 0 document(s), the manifest says 1000',
    );
  });

  it('a backup missing documents the live database had before it started', async () => {
    // Self-consistent (counts, digests, hashes, seal all agree): only the live comparison can tell.
    await rewriteCollection('agents', (lines) => lines.filter((l) => !l.includes('"_key":"agent-00001')));
    const result = await verify();
    for (const name of ['manifest', 'hashes', 'lines', 'counts', 'digest']) {
      expect(result.checks.find((c) => c.name === name)?.status).toBe('pass');
    }
    expect(await failedCheck(result, 'completeness')).toMatch(
      /^the backup lacks documents the live database had before it started, e\.g\. agents\/agent-00001\d$/,
    );
  });
});

describe('a stale backup', () => {
  it('fails the age check, and is still restored and checked', async () => {
    const opened = await openBackup(store, backupId, key, {
      rpoHours: 26,
      now: new Date(Date.now() + 30 * 3600_000),
    });
    try {
      const result = await runVerify({ backup: opened.backup, target: env.connection, toolVersion: 'test' });
      expect(await failedCheck(result, 'age')).toMatch(/^30\.0 h old, older than the 26 h RPO$/);
      expect(result.restored).toBe(true);
      expect(result.checks.find((c) => c.name === 'counts')?.status).toBe('pass');
    } finally {
      await opened.dispose();
    }
  });
});

describe('KMS denying Decrypt (moto)', () => {
  it('fails the manifest check naming KMS, and restores nothing', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const aws = awsConfigSchema.parse({ endpoint: motoUrl, accessKeyId: 'test', secretAccessKey: 'test' });
    const bucket = 'verify-kms-denied';
    await new S3Client(awsClientConfig(aws))
      .send(new CreateBucketCommand({ Bucket: bucket }))
      .catch(() => undefined);
    const kms = new KMSClient(awsClientConfig(aws));
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const s3 = openStore(`s3://${bucket}/denied`, { aws });
    const kmsKey = await loadBackupKey({ kmsKeyId: keyId }, aws);
    const id = await takeBackup(env, s3, kmsKey);
    // moto does not enforce key policies on Decrypt, so a proxy in front of it answers as KMS does
    // when a policy denies the call; everything else goes through to moto.
    const proxy = await denyingProxy(motoUrl, 'TrentService.Decrypt');
    try {
      const deniedAws = { ...aws, endpoint: proxy.url };
      const verifierKey = await loadBackupKey({ kmsKeyId: keyId }, deniedAws);
      const result = await verifyBackup(
        env,
        openStore(`s3://${bucket}/denied`, { aws: deniedAws }),
        verifierKey,
        id,
      );
      expect(await failedCheck(result, 'manifest')).toMatch(/AccessDeniedException/);
      expect(result.restored).toBe(false);
    } finally {
      await proxy.stop();
    }
  });
});

/** Forwards to `upstream`, except requests for the KMS operation `denied`, refused with KMS's AccessDeniedException. */
async function denyingProxy(
  upstream: string,
  denied: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    if (req.headers['x-amz-target'] === denied) {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          __type: 'AccessDeniedException',
          message: `User is not authorized to perform: kms:${denied.split('.')[1]} because of an explicit deny in the key policy`,
        }),
      );
      return;
    }
    const out = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
