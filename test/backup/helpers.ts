/** What the backup tests share: a key file, AWS settings for moto, and reading a decrypted dump. */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ContentDigest, type LosslessDocument, parseLossless } from '@arangops/backup';
import { type AwsConfig, awsConfigSchema } from '@arangops/core';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { ArangoTarget } from '../harness/arango-target.js';
import { runCli } from '../harness/cli.js';

export function writeKeyFile(dir: string, bytes = 32): string {
  const file = join(dir, 'backup.key');
  writeFileSync(file, `${randomBytes(bytes).toString('base64')}\n`, { mode: 0o600 });
  return file;
}

export function motoAws(endpoint: string): AwsConfig {
  return awsConfigSchema.parse({
    endpoint,
    region: 'us-east-1',
    accessKeyId: 'testing',
    secretAccessKey: 'testing',
  });
}

export function sdkConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
}

let buckets = 0;
export async function newBucket(endpoint: string): Promise<string> {
  const bucket = `arangops-backup-${process.pid}-${Date.now().toString(36)}-${buckets++}`;
  await new S3Client(sdkConfig(endpoint)).send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function newKmsKey(endpoint: string): Promise<string> {
  const key = await new KMSClient(sdkConfig(endpoint)).send(
    new CreateKeyCommand({ Description: 'arangops backup test' }),
  );
  return key.KeyMetadata!.KeyId!;
}

export interface DumpCollection {
  documents: number;
  digest: string;
}

/** Reads a plain arangodump directory as arangorestore would: structure files paired with gzipped JSON lines. */
export function readDumpDirectory(dir: string): Map<string, DumpCollection> {
  const out = new Map<string, DumpCollection>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.structure.json'))) {
    const structure = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const stem = f.slice(0, -'.structure.json'.length);
    const text = gunzipSync(readFileSync(join(dir, `${stem}.data.json.gz`))).toString('utf8');
    const digest = new ContentDigest();
    for (const line of text.split('\n')) if (line) digest.add(parseLossless(line) as LosslessDocument);
    out.set(structure.parameters.name, { documents: digest.count, digest: digest.hex() });
  }
  return out;
}

/** Runs the CLI as a CronJob would: logs silenced unless asked, run records in `work`, ArangoDB from the target. */
export async function runCliAgainst(
  target: ArangoTarget,
  args: string[],
  env: NodeJS.ProcessEnv,
  work: string,
) {
  return runCli(['--log-level', 'silent', '--set', `runRecords.dir=${join(work, 'runs')}`, ...args], {
    ARANGO_URL: target.url,
    ARANGO_USERNAME: target.username,
    ARANGO_PASSWORD: target.password,
    ...env,
  });
}
