/**
 * A real Prometheus scrapes `arangops jobs` and the exporter. The jobs process
 * backs up and verifies on its schedule into a moto S3 store; the exporter, with
 * its own empty run-record folder, reads the run records from the store's runs/.
 * The jobs' own metrics and the exporter's last-run metrics must tell the same story
 * as the records.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { newBucket, sdkConfig, writeKeyFile } from './backup/helpers.js';
import { seededSim } from './harness/backup-env.js';
import { spawnCli } from './harness/cli.js';
import { requireMoto } from './harness/moto.js';
import { freePort } from './harness/net.js';
import { type RunningPrometheus, startPrometheus } from './harness/prometheus.js';
import { tempDir } from './harness/temp-dir.js';
import { requireTool } from './harness/tools.js';

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
type QueryAnswer = { status: string; data: { result: Sample[] } };

const children: ChildProcess[] = [];
let prometheus: RunningPrometheus | undefined;
let stopSim: (() => Promise<void>) | undefined;
afterAll(async () => {
  await prometheus?.stop();
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null) return resolve(undefined);
          c.once('exit', resolve);
          c.kill('SIGTERM');
        }),
    ),
  );
  await stopSim?.();
});

function start(args: string[], env: NodeJS.ProcessEnv): void {
  children.push(spawnCli(['--log-level', 'warn', ...args], env));
}

async function untilOk(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await fetch(url).catch(() => undefined))?.ok) return;
    await sleep(200);
  }
  throw new Error(`${url} never answered 200`);
}

/** The task a suite series is about: `task` (exporter contract) or the `job` label Prometheus renamed. */
const taskOf = (s: Sample) => s.metric.task ?? s.metric.exported_job;

describe('Prometheus scrapes arangops jobs and the exporter (run records in moto S3)', () => {
  it('arangops_verify_success and the backup metrics match the runs recorded in the store', async (ctx) => {
    const binary = requireTool('prometheus', 'scraping arangops jobs', ctx);
    const motoUrl = requireMoto(ctx);
    const env = await seededSim('single', '3.12.10', {
      agents: 40,
      executions: 60,
      communications: 100,
      seed: 9,
    });
    env.connection.close();
    stopSim = () => env.sim.stop();
    const bucket = await newBucket(motoUrl);
    const work = tempDir('jobs-prometheus');
    const shared = {
      ARANGO_URL: env.sim.url,
      ARANGOPS_STORE: `s3://${bucket}/prod`,
      AWS_ENDPOINT_URL: motoUrl,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      ARANGOPS_RUN_RECORDS_IN_STORE: 'true',
      ARANGOPS_RUN_RECORDS_CACHE_SECONDS: '1',
    };
    const [jobsPort, exporterPort] = [await freePort(), await freePort()];
    start(
      [
        '--set',
        `jobs.port=${jobsPort}`,
        '--set',
        'jobs.host=127.0.0.1',
        // node-cron's optional seconds field: a backup every 6 s (cheap verification after it), a full verification every 15 s.
        '--set',
        'jobs.backup.schedule=*/6 * * * * *',
        '--set',
        'jobs.verify.schedule=*/15 * * * * *',
        '--set',
        'jobs.drift.enabled=false',
        '--set',
        'jobs.prune.enabled=false',
        '--set',
        'jobs.gracePeriodSeconds=2',
        'jobs',
      ],
      {
        ...shared,
        ARANGOPS_KEY_FILE: writeKeyFile(work),
        ARANGOPS_BACKUP_DATABASE: 'codevaldcortex',
        ARANGOPS_RUN_RECORDS_DIR: join(work, 'jobs-runs'),
      },
    );
    start(['--set', `exporter.port=${exporterPort}`, '--set', 'exporter.host=127.0.0.1', 'exporter'], {
      ...shared,
      // Nothing here: what the exporter reports comes from the store.
      ARANGOPS_RUN_RECORDS_DIR: join(work, 'exporter-runs'),
    });
    await untilOk(`http://127.0.0.1:${jobsPort}/healthz`);
    await untilOk(`http://127.0.0.1:${jobsPort}/readyz`);
    prometheus = await startPrometheus(binary, {
      targets: { 'arangops-jobs': `127.0.0.1:${jobsPort}`, 'arangops-exporter': `127.0.0.1:${exporterPort}` },
    });
    const query = (q: string, done: (r: Sample[]) => boolean) =>
      prometheus!
        .until<QueryAnswer>(
          `/api/v1/query?query=${encodeURIComponent(q)}`,
          (a) => done(a.data?.result ?? []),
          90_000,
        )
        .then((a) => a.data.result);

    const verified = await query('arangops_verify_success', (r) => r.length === 1 && r[0]!.value[1] === '1');
    expect(verified[0]!.metric.job).toBe('arangops-jobs');
    const suite = await query('arangops_last_run_success', (r) =>
      ['backup', 'verify-cheap', 'verify'].every((t) => r.some((s) => taskOf(s) === t && s.value[1] === '1')),
    );
    expect(new Set(suite.map((s) => s.metric.job))).toEqual(new Set(['arangops-exporter']));
    expect(await query('up', (r) => r.length === 2 && r.every((s) => s.value[1] === '1'))).toHaveLength(2);

    // The backup metrics of the jobs process and the exporter's figures both equal the run record in S3.
    const s3 = new S3Client(sdkConfig(motoUrl));
    const record = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'prod/runs/backup.json' }))
      ).Body!.transformToString(),
    ) as { success: boolean; summary: Record<string, number> };
    s3.destroy();
    expect(record.success).toBe(true);
    const documents = String(record.summary.documents);
    expect(Number(documents)).toBeGreaterThan(200);
    const jobsDocs = await query(
      'arangops_backup_documents{database="codevaldcortex"}',
      (r) => r[0]?.value[1] === documents,
    );
    expect(jobsDocs).toHaveLength(1);
    const size = await query('arangops_backup_size_bytes{database="codevaldcortex"}', (r) => r.length === 1);
    expect(Number(size[0]!.value[1])).toBeGreaterThan(0);
    const figures = await query('arangops_last_run_figures{figure="documents"}', (r) =>
      r.some((s) => taskOf(s) === 'backup' && s.value[1] === documents),
    );
    expect(figures.length).toBeGreaterThan(0);
    const failures = await query('sum(arangops_backup_failures_total) or vector(0)', (r) => r.length === 1);
    expect(failures[0]!.value[1]).toBe('0');

    // SIGTERM: whatever runs gets its grace period or is aborted; the process ends cleanly.
    const jobs = children[0]!;
    const exited = new Promise<number | null>((resolve) => jobs.once('exit', resolve));
    jobs.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 240_000);
});
