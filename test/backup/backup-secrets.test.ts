/**
 * No key material, data key or AWS secret in logs (trace level), output, errors, the manifest, the
 * run record or any stored object — on a successful backup and on a failing one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget } from '../harness/arango-target.js';
import { requireMoto } from '../harness/moto.js';
import { tempDir } from '../harness/temp-dir.js';
import { failingProxy } from './failing-proxy.js';
import { newBucket, newKmsKey, runCliAgainst, sdkConfig, writeKeyFile } from './helpers.js';

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

let target: ArangoTarget;
beforeAll(async () => {
  target = await arangoTarget({
    mode: 'single',
    version: '3.11.14',
    seed: { agents: 10, executions: 10, communications: 10 },
  });
});
afterAll(() => target.stop());

function forms(secret: Buffer | string): string[] {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'base64') : secret;
  const out = [bytes.toString('base64'), bytes.toString('hex'), bytes.toString('base64url')];
  return typeof secret === 'string' ? [...out, secret] : out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

function expectNowhere(secrets: string[], texts: Record<string, string>): void {
  for (const [where, text] of Object.entries(texts)) {
    for (const s of secrets) expect(text.includes(s), `a secret in ${where}`).toBe(false);
  }
}

describe('backup secrets', () => {
  it('keep the key file out of logs, output, manifest, run record and store; also when the run fails', async () => {
    const work = tempDir('backup-secrets-file');
    const keyFile = writeKeyFile(work);
    const keyText = readFileSync(keyFile, 'utf8').trim();
    const env = {
      ARANGOPS_STORE: join(work, 'store'),
      ARANGOPS_KEY_FILE: keyFile,
      AWS_SECRET_ACCESS_KEY: AWS_SECRET,
    };
    const ok = await runCliAgainst(
      target,
      ['--log-level', 'trace', 'backup', 'run', '--database', 'codevaldcortex'],
      env,
      work,
    );
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('backup complete');
    // A database that does not exist: the run fails, and its error and run record are checked too.
    const failed = await runCliAgainst(
      target,
      ['--log-level', 'trace', 'backup', 'run', '--database', 'no_such_db'],
      env,
      work,
    );
    expect(failed.code).not.toBe(0);
    const texts: Record<string, string> = {
      ok: ok.stdout + ok.stderr,
      failed: failed.stdout + failed.stderr,
    };
    for (const f of filesUnder(work)) if (f !== keyFile) texts[f] = readFileSync(f, 'latin1');
    expectNowhere([...forms(keyText), AWS_SECRET], texts);
  });

  it('keep the KMS data key and the AWS secret out of logs, output, manifest and store', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const dataKeys: string[] = [];
    // Learns the data keys KMS hands out, on their way to the backup.
    const kms = await failingProxy(
      motoUrl,
      () => undefined,
      (headers, body) => {
        if (headers['x-amz-target'] === 'TrentService.GenerateDataKey')
          dataKeys.push(JSON.parse(body.toString()).Plaintext);
      },
    );
    const work = tempDir('backup-secrets-kms');
    const bucket = await newBucket(motoUrl);
    const env = {
      ARANGOPS_STORE: `s3://${bucket}/x`,
      ARANGOPS_KMS_KEY_ID: await newKmsKey(motoUrl),
      AWS_ENDPOINT_URL: kms.url,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: AWS_SECRET,
    };
    try {
      const ok = await runCliAgainst(
        target,
        ['--log-level', 'trace', 'backup', 'run', '--database', 'codevaldcortex'],
        env,
        work,
      );
      expect(ok.stderr.split('\n').filter((l) => l.includes('"level":"error"'))).toEqual([]);
      expect(ok.code).toBe(0);
      const list = await runCliAgainst(target, ['--json', 'backup', 'list'], env, work);
      expect(dataKeys).toHaveLength(1);
      const texts: Record<string, string> = { ok: ok.stdout + ok.stderr, list: list.stdout + list.stderr };
      for (const f of filesUnder(work)) texts[f] = readFileSync(f, 'latin1');
      const s3 = new S3Client(sdkConfig(motoUrl));
      const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      for (const o of objects.Contents ?? []) {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
        texts[o.Key!] = Buffer.from(await got.Body!.transformToByteArray()).toString('latin1');
      }
      s3.destroy();
      expectNowhere([...dataKeys.flatMap((k) => forms(k)), AWS_SECRET], texts);
    } finally {
      await kms.close();
    }
  });
});
