/**
 * One real use of each external tool, through the same clients production
 * code uses: proves the harness installs and starts them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, startHttpServer } from '@arangops/core';
import { CreateKeyCommand, DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { chromium } from 'playwright-core';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { requireMoto } from './harness/moto.js';
import { tempDir } from './harness/temp-dir.js';
import { REPO_ROOT, requireTool } from './harness/tools.js';

const awsTestConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED' as const,
  responseChecksumValidation: 'WHEN_REQUIRED' as const,
});

describe('moto_server (S3 + KMS emulator)', () => {
  it('creates a KMS key, generates a data key, and round-trips an S3 object', async (ctx) => {
    const motoUrl = requireMoto(ctx);
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
  it('finds no problem in a page served by the core metrics server', async (ctx) => {
    const promtool = requireTool('promtool', 'metrics lint', ctx);
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

  it('reports a page that breaks the conventions (proves the check can fail)', (ctx) => {
    const promtool = requireTool('promtool', 'metrics lint', ctx);
    const page = '# HELP bad_metric_total x\n# TYPE bad_metric_total gauge\nbad_metric_total 1\n';
    const run = () =>
      execFileSync(promtool, ['check', 'metrics'], { input: page, encoding: 'utf8', stdio: 'pipe' });
    expect(run).toThrow(/non-counter metrics should not have "_total" suffix/);
  });
});

/** The vendored Kubernetes 1.31 and CRD schemas, laid out for kubeconform (see test/data/SOURCES.md). */
const K8S_SCHEMAS = join(REPO_ROOT, 'test', 'data', 'k8s-schemas');

function helmCreate(helm: string): string {
  const dir = tempDir('helm');
  execFileSync(helm, ['create', 'smoke'], { cwd: dir });
  return join(dir, 'smoke');
}

describe('helm', () => {
  it('is v3.22 and renders and lints a chart', (ctx) => {
    const helm = requireTool('helm', 'chart rendering', ctx);
    // `go install` builds carry no patch level in `helm version`; the installer pins v3.22.0.
    expect(execFileSync(helm, ['version', '--short'], { encoding: 'utf8' })).toMatch(/^v3\.22\b/);
    const chart = helmCreate(helm);
    expect(execFileSync(helm, ['template', 'rel', chart], { encoding: 'utf8' })).toContain(
      'kind: Deployment',
    );
    expect(execFileSync(helm, ['lint', chart], { encoding: 'utf8' })).toContain('0 chart(s) failed');
  });

  it('runs helm-unittest suites, which can fail', (ctx) => {
    const helm = requireTool('helm', 'chart rendering', ctx);
    const unittest = requireTool('helm-unittest', 'chart unit tests', ctx);
    const chart = helmCreate(helm);
    mkdirSync(join(chart, 'tests'));
    const suite = (port: number) =>
      `suite: smoke\ntemplates: [service.yaml]\ntests:\n  - it: exposes the http port\n    asserts:\n      - equal:\n          path: spec.ports[0].port\n          value: ${port}\n`;
    writeFileSync(join(chart, 'tests', 'service_test.yaml'), suite(80));
    expect(execFileSync(unittest, [chart], { encoding: 'utf8' })).toMatch(/Tests:\s+1 passed/);
    writeFileSync(join(chart, 'tests', 'service_test.yaml'), suite(81));
    expect(() => execFileSync(unittest, [chart], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
  });
});

describe('kubeconform', () => {
  it('validates rendered manifests offline against the vendored schemas, and rejects an unknown field', (ctx) => {
    const helm = requireTool('helm', 'chart rendering', ctx);
    const kubeconform = requireTool('kubeconform', 'manifest validation', ctx);
    const args = [
      '-strict',
      '-summary',
      '-kubernetes-version',
      '1.31.0',
      '-schema-location',
      `${K8S_SCHEMAS}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
      '-schema-location',
      `${K8S_SCHEMAS}/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
      '-',
    ];
    const rendered = execFileSync(helm, ['template', 'rel', helmCreate(helm), '--skip-tests'], {
      encoding: 'utf8',
    });
    expect(execFileSync(kubeconform, args, { input: rendered, encoding: 'utf8' })).toMatch(
      /Invalid: 0, Errors: 0/,
    );
    const broken = rendered.replace('replicas: 1', 'replicas: 1\n  replicaz: 2');
    const rejected = spawnSync(kubeconform, args, { input: broken, encoding: 'utf8' });
    expect(rejected.status).toBe(1);
    expect(rejected.stdout).toContain('replicaz');
  });
});

describe('amtool', () => {
  it('checks an Alertmanager configuration and rejects a broken one', (ctx) => {
    const amtool = requireTool('amtool', 'Alertmanager config checks', ctx);
    const dir = tempDir('amtool');
    writeFileSync(join(dir, 'good.yml'), 'route:\n  receiver: sre\nreceivers:\n  - name: sre\n');
    writeFileSync(join(dir, 'bad.yml'), 'route:\n  receiver: nobody\nreceivers:\n  - name: sre\n');
    expect(execFileSync(amtool, ['check-config', join(dir, 'good.yml')], { encoding: 'utf8' })).toContain(
      'SUCCESS',
    );
    const rejected = spawnSync(amtool, ['check-config', join(dir, 'bad.yml')], { encoding: 'utf8' });
    expect(rejected.status).toBe(1);
    expect(rejected.stdout).toContain('undefined receiver "nobody"');
  });
});

describe('chromium', () => {
  it('renders a page served by the core HTTP server, headless through playwright-core', async (ctx) => {
    const executablePath = requireTool('chromium', 'HTML reports in a browser', ctx);
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
      metrics: async () => ({
        contentType: 'text/html',
        body: '<title>arangops</title><h1 id="h">backups verified</h1>',
      }),
    });
    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/metrics`);
      expect(await page.title()).toBe('arangops');
      expect(await page.locator('#h').textContent()).toBe('backups verified');
      expect((await page.screenshot()).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
