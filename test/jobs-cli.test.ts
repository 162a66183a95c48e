/**
 * `arangops jobs` as Kubernetes runs it: `--once <job>` exit codes (CronJobs),
 * SIGTERM during a verification and during a backup (the grace period, then a
 * safe abort), and the run records in the S3 store.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LEASE_DATABASE } from '@arangops/backup';
import { type ArangoConnection, arangoConfigSchema, createArangoConnection } from '@arangops/core';
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBucket, sdkConfig, writeKeyFile } from './backup/helpers.js';
import { seededSim } from './harness/backup-env.js';
import { runCli, spawnCli } from './harness/cli.js';
import { requireMoto } from './harness/moto.js';
import { tempDir } from './harness/temp-dir.js';

let env: Awaited<ReturnType<typeof seededSim>>;
let admin: ArangoConnection;
let work: string;
let baseEnv: NodeJS.ProcessEnv;
beforeAll(async () => {
  env = await seededSim('single', '3.12.10', {
    agents: 600,
    executions: 3000,
    communications: 12000,
    seed: 5,
  });
  admin = createArangoConnection(arangoConfigSchema.parse({ url: [env.sim.url] }));
  work = tempDir('jobs');
  baseEnv = {
    ARANGO_URL: env.sim.url,
    ARANGOPS_STORE: `file://${join(work, 'store')}`,
    ARANGOPS_KEY_FILE: writeKeyFile(work),
    ARANGOPS_RUN_RECORDS_DIR: join(work, 'runs'),
    ARANGOPS_BACKUP_DATABASE: 'codevaldcortex',
  };
});
afterAll(async () => {
  admin.close();
  env.connection.close();
  await env.sim.stop();
});

// seededSim bootstraps the profile without its users: the drift check leaves them out too.
const once = (job: string) =>
  runCli(['--log-level', 'silent', '--set', 'schema.ignore=users/**', 'jobs', '--once', job], baseEnv);

async function scratchLeft(): Promise<string[]> {
  return (await admin.database('_system').listDatabases()).filter(
    (d) => d.startsWith('arangops_verify_') && d !== LEASE_DATABASE,
  );
}

describe('arangops jobs --once <job>', () => {
  it('exits with the job’s exit code: 1 nothing to verify, 0 backup, cheap and full verification, drift in sync, prune; 2 an unknown job', async () => {
    const empty = await once('verify');
    expect(empty.code, empty.stderr).toBe(1);
    for (const job of ['backup', 'verify-cheap', 'verify', 'drift', 'prune']) {
      const run = await once(job);
      expect(run.code, `${job}: ${run.stderr}`).toBe(0);
    }
    const unknown = await once('restore');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/argument 'restore' is invalid. Allowed choices are backup, verify-cheap/);
  }, 180_000);

  it('exit 1 when the drift check finds drift', async () => {
    const agents = admin.database('codevaldcortex').collection('agents');
    const extra = await agents.ensureIndex({ type: 'persistent', fields: ['jobsTestOnly'] });
    try {
      const drift = await once('drift');
      expect(drift.code, drift.stderr).toBe(1);
    } finally {
      await agents.dropIndex(extra.id);
    }
  }, 60_000);
});

/** `arangops jobs --once <job>` in its own process, as a CronJob's pod runs it. */
function spawnOnce(job: string, extra: NodeJS.ProcessEnv, graceSeconds: number): ChildProcess {
  const debug = Boolean(process.env.DEBUG_JOBS);
  return spawnCli(
    [
      '--log-level',
      debug ? 'info' : 'silent',
      '--set',
      `jobs.gracePeriodSeconds=${graceSeconds}`,
      '--set',
      'verify.parallel=1',
      'jobs',
      '--once',
      job,
    ],
    { ...baseEnv, ...extra },
    { inherit: debug },
  );
}

async function until(what: string, child: ChildProcess, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before ${what}`);
    await sleep(20);
  }
  child.kill('SIGKILL');
  throw new Error(`no ${what}`);
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });

describe('SIGTERM', () => {
  it('during a verification: the run keeps going through the grace period, then the scratch database is dropped and it exits 3', async () => {
    // Slow imports: the restore alone would take minutes.
    env.sim.faults.addLatency('^POST /_api/import', 5000);
    try {
      const once = await runCli(['--log-level', 'silent', 'backup', 'run'], baseEnv);
      expect(once.code, once.stderr).toBe(0);
      const child = spawnOnce('verify', {}, 2);
      await until('scratch database', child, async () => (await scratchLeft()).length > 0);
      const signalled = Date.now();
      child.kill('SIGTERM');
      await sleep(1000);
      // Within the grace period the verification still runs.
      expect(child.exitCode).toBeNull();
      expect((await scratchLeft()).length).toBe(1);
      expect(await exitOf(child)).toBe(3);
      // Ended by the abort, long before the slowed restore could have finished.
      expect(Date.now() - signalled).toBeLessThan(60_000);
      expect(await scratchLeft()).toEqual([]);
    } finally {
      await env.sim.faults.reset();
    }
  }, 180_000);

  it('during a backup to S3: the uploads are aborted, no manifest, no multipart upload left; the failure is recorded', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const bucket = await newBucket(motoUrl);
    const s3 = new S3Client(sdkConfig(motoUrl));
    const s3Env = {
      ARANGOPS_STORE: `s3://${bucket}/cluster-a`,
      AWS_ENDPOINT_URL: motoUrl,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      ARANGOPS_RUN_RECORDS_IN_STORE: 'true',
    };
    const keys = async () =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);
    env.sim.faults.addLatency('/_api/cursor', 3000);
    try {
      const child = spawnOnce('backup', s3Env, 1);
      await until('backup object in S3', child, async () =>
        (await keys()).some((k) => k.startsWith('cluster-a/backups/')),
      );
      child.kill('SIGTERM');
      expect(await exitOf(child)).toBe(3);
      const left = await keys();
      expect(left.filter((k) => k.endsWith('arangops-manifest.json'))).toEqual([]);
      expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
      // The run record went to the store's runs/, where the exporter of another pod reads it.
      expect(left).toContain('cluster-a/runs/backup.json');
      const record = await runCli(['--log-level', 'silent', 'backup', 'list', '--json'], {
        ...baseEnv,
        ...s3Env,
      });
      expect(JSON.parse(record.stdout).backups.every((b: { complete: boolean }) => !b.complete)).toBe(true);
    } finally {
      await env.sim.faults.reset();
      s3.destroy();
    }
  }, 180_000);
});
