/**
 * One real use of each external tool, through the same clients production
 * code uses: proves the harness installs and starts them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, startHttpServer } from '@arangops/core';
import { CreateKeyCommand, DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Counter, Registry } from 'prom-client';
import { describe, expect, inject, it } from 'vitest';
import { requireTool } from './harness/tools.js';

const awsTestConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED' as const,
  responseChecksumValidation: 'WHEN_REQUIRED' as const,
});

describe('moto_server (S3 + KMS emulator)', () => {
  it('creates a KMS key, generates a data key, and round-trips an S3 object', async () => {
    const motoUrl = inject('motoUrl');
    if (!motoUrl) return; // requireTool in global setup printed SKIP (and failed in CI)
    const kms = new KMSClient(awsTestConfig(motoUrl));
    const key = await kms.send(new CreateKeyCommand({ Description: 'arangops smoke test' }));
    const dataKey = await kms.send(
      new GenerateDataKeyCommand({ KeyId: key.KeyMetadata!.KeyId!, KeySpec: 'AES_256' }),
    );
    expect(dataKey.Plaintext).toHaveLength(32);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob! }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(Buffer.from(dataKey.Plaintext!));

    const s3 = new S3Client(awsTestConfig(motoUrl));
    await s3.send(new CreateBucketCommand({ Bucket: 'arangops-smoke' }));
    await s3.send(new PutObjectCommand({ Bucket: 'arangops-smoke', Key: 'a/b.txt', Body: 'hello arangops' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'arangops-smoke', Key: 'a/b.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello arangops');
  });
});

describe('promtool', () => {
  it('finds no problem in a page served by the core metrics server', async () => {
    const promtool = requireTool('promtool', 'metrics lint');
    if (!promtool) return;
    const registry = new Registry();
    new Counter({
      name: 'arangops_smoke_events_total',
      help: 'Smoke test events.',
      registers: [registry],
    }).inc(3);
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
      metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    });
    try {
      const page = await (await fetch(`${server.url}/metrics`)).text();
      expect(page).toContain('arangops_smoke_events_total 3');
      // promtool reads the page on stdin and prints nothing when it is clean.
      const out = execFileSync(promtool, ['check', 'metrics'], { input: page, encoding: 'utf8' });
      expect(out.trim()).toBe('');
    } finally {
      await server.close();
    }
  });

  it('reports a page that breaks the conventions (proves the check can fail)', () => {
    const promtool = requireTool('promtool', 'metrics lint');
    if (!promtool) return;
    const page = '# HELP bad_metric_total x\n# TYPE bad_metric_total gauge\nbad_metric_total 1\n';
    const run = () =>
      execFileSync(promtool, ['check', 'metrics'], { input: page, encoding: 'utf8', stdio: 'pipe' });
    expect(run).toThrow(/non-counter metrics should not have "_total" suffix/);
  });
});

describe('helm', () => {
  it('is v3.22 and renders and lints a chart', () => {
    const helm = requireTool('helm', 'chart rendering');
    if (!helm) return;
    // `go install` builds carry no patch level in `helm version`; the installer pins v3.22.0.
    expect(execFileSync(helm, ['version', '--short'], { encoding: 'utf8' })).toMatch(/^v3\.22\b/);
    const dir = mkdtempSync(join(tmpdir(), 'arangops-helm-'));
    execFileSync(helm, ['create', 'smoke'], { cwd: dir });
    const rendered = execFileSync(helm, ['template', 'rel', join(dir, 'smoke')], { encoding: 'utf8' });
    expect(rendered).toContain('kind: Deployment');
    expect(execFileSync(helm, ['lint', join(dir, 'smoke')], { encoding: 'utf8' })).toContain(
      '0 chart(s) failed',
    );
  });
});
