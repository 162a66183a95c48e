/**
 * `arangops verify` as the weekly job runs it: exit codes, JSON result, the
 * result in the store, the lock between two verifiers, SIGTERM and SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator } from '@arangops/arangodb-sim';
import {
  acquireLease,
  ContentDigest,
  LEASE_DATABASE,
  listBackups,
  openStore,
  readCollection,
  readManifest,
  verifyResultSchema,
} from '@arangops/backup';
import {
  type ArangoConnection,
  arangoConfigSchema,
  awsConfigSchema,
  createArangoConnection,
} from '@arangops/core';
import { diffSchema, inspectDatabase } from '@arangops/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../packages/cli/src/main.js';
import { seededSim } from './harness/backup-env.js';
import { tempDir } from './harness/temp-dir.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'test/data/arangodump');

let env: Awaited<ReturnType<typeof seededSim>>;
let admin: ArangoConnection;
let baseEnv: NodeJS.ProcessEnv;
let storeDir: string;
beforeAll(async () => {
  env = await seededSim('single', '3.12.10', {
    agents: 600,
    executions: 3000,
    communications: 12000,
    seed: 3,
  });
  admin = createArangoConnection(arangoConfigSchema.parse({ url: [env.sim.url] }));
  storeDir = tempDir('verify-store');
  const keyFile = join(tempDir('verify-key'), 'backup.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`);
  baseEnv = {
    ARANGO_URL: env.sim.url,
    ARANGOPS_STORE: `file://${storeDir}`,
    ARANGOPS_KEY_FILE: keyFile,
    ARANGOPS_RUN_RECORDS_DIR: tempDir('verify-runs'),
  };
  const backup = await run(['backup', 'run', '--database', 'codevaldcortex']);
  expect(backup.code, backup.stderr).toBe(0);
});
afterAll(async () => {
  admin.close();
  env.connection.close();
  await env.sim.stop();
});

async function run(argv: string[], extra: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(['--log-level', 'warn', ...argv], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { ...baseEnv, ...extra },
  });
  return { code, stdout, stderr };
}

async function scratchLeft(): Promise<string[]> {
  return (await admin.database('_system').listDatabases()).filter(
    (d) => d.startsWith('arangops_verify_') && d !== LEASE_DATABASE,
  );
}

describe('arangops verify', () => {
  it('verifies the latest complete backup: exit 0, a JSON result, written to results/ and recorded', async () => {
    const secret = 'aws-secret-never-shown';
    const { code, stdout, stderr } = await run(['--json', '--log-level', 'debug', 'verify'], {
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_ACCESS_KEY_ID: 'AKIAVERIFYTEST',
    });
    expect(code, stderr).toBe(0);
    // Neither the AWS secret nor the backup key reaches the output, the logs or the stored result.
    const keyMaterial = readFileSync(baseEnv.ARANGOPS_KEY_FILE!, 'utf8').trim();
    const storedResults = readdirSync(join(storeDir, 'results')).map((f) =>
      readFileSync(join(storeDir, 'results', f), 'utf8'),
    );
    for (const text of [stdout, stderr, ...storedResults]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(keyMaterial);
    }
    const result = verifyResultSchema.parse(JSON.parse(stdout));
    expect(result.verdict).toBe('pass');
    expect(result.backup.kind).toBe('arangops');
    const written = readdirSync(join(storeDir, 'results'));
    expect(written).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(storeDir, 'results', written[0]!), 'utf8')).backup.id).toBe(
      result.backup.id,
    );
    const record = JSON.parse(readFileSync(join(baseEnv.ARANGOPS_RUN_RECORDS_DIR!, 'verify.json'), 'utf8'));
    expect(record).toMatchObject({ job: 'verify', success: true });
    // The per-run report, named after the result.
    const stem = written[0]!.replace(/\.json$/, '');
    expect(readdirSync(join(storeDir, 'reports/runs')).sort()).toEqual([
      `${stem}.html`,
      `${stem}.json`,
      `${stem}.md`,
    ]);
    expect(readFileSync(join(storeDir, 'reports/runs', `${stem}.html`), 'utf8')).toContain(
      'PASSED: every check passed',
    );
  });

  it('verifies a plain dump folder and says which checks were not possible; a human summary without --json', async () => {
    const { code, stdout } = await run(['verify', join(FIXTURES, 'got-trivia-3.10'), '--no-live']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^verify got-trivia-3\.10: PASSED/);
    expect(stdout).toContain('skip manifest — a plain arangodump has no manifest');
    expect(stdout).toContain('    link (edge): 348, restored 348');
  });

  it('--no-restore runs the cheap checks only', async () => {
    const { code, stdout } = await run(['--json', 'verify', '--no-restore']);
    expect(code).toBe(0);
    const result = verifyResultSchema.parse(JSON.parse(stdout));
    expect(result.restored).toBe(false);
    expect(result.checks.filter((c) => c.status === 'pass').map((c) => c.name)).toEqual([
      'manifest',
      'age',
      'objects',
      'decryption',
      'hashes',
      'pairing',
      'data',
      'lines',
    ]);
  });

  it('exit 1 when a check fails, exit 2 for a folder that is not a dump', async () => {
    const stale = await run(['verify', '--no-restore', '--rpo-hours', '0']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/FAIL age — 0\.0 h old, older than the 0 h RPO/);
    const bad = await run(['verify', join(tempDir('empty'), 'nothing')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a folder holding an arangodump or a backup');
  });

  it('restores into a separate verification deployment (verify.target.url); completeness still asks the live one', async () => {
    const scratchTarget = await startSimulator({ mode: 'single', version: '3.12.10', auth: false });
    try {
      const { code, stdout, stderr } = await run([
        '--json',
        'verify',
        '--set',
        `verify.target.url=[${scratchTarget.url}]`,
      ]);
      expect(code, stderr).toBe(0);
      const result = verifyResultSchema.parse(JSON.parse(stdout));
      expect(result.checks.find((c) => c.name === 'completeness')?.status).toBe('pass');
      const other = createArangoConnection(arangoConfigSchema.parse({ url: [scratchTarget.url] }));
      try {
        expect(await other.database('_system').listDatabases()).toEqual(['_system', LEASE_DATABASE]);
      } finally {
        other.close();
      }
    } finally {
      await scratchTarget.stop();
    }
  });

  it('exit 3 naming the holder when another verifier holds the lock', async () => {
    const lease = await acquireLease(admin, { holder: 'verifier-elsewhere:4242' });
    try {
      const { code, stderr } = await run(['verify']);
      expect(code).toBe(3);
      expect(stderr).toContain('another verifier holds the lock: verifier-elsewhere:4242 since');
    } finally {
      await lease.release();
    }
  });

  it('two verifiers started together: one runs, the other reports the lock', async () => {
    const [a, b] = await Promise.all([run(['verify']), run(['verify'])]);
    expect([a.code, b.code].sort()).toEqual([0, 3]);
    expect((a.code === 3 ? a : b).stderr).toContain('another verifier holds the lock');
    expect(await scratchLeft()).toEqual([]);
  }, 60_000);
});

describe('a verifier that is stopped', () => {
  const spawnVerify = (extraArgs: string[] = []): ChildProcess =>
    spawn(
      process.execPath,
      [
        '--conditions=@arangops/source',
        '--import',
        'tsx',
        'packages/cli/src/bin.ts',
        '--log-level',
        'silent',
        'verify',
        '--parallel',
        '1',
        ...extraArgs,
      ],
      { cwd: ROOT, env: { ...process.env, ...baseEnv }, stdio: 'ignore' },
    );

  async function untilScratchExists(child: ChildProcess): Promise<string> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const left = await scratchLeft();
      if (left.length > 0) return left[0]!;
      if (child.exitCode !== null) throw new Error(`verifier exited (${child.exitCode}) before restoring`);
      await sleep(10);
    }
    child.kill('SIGKILL');
    throw new Error('no scratch database appeared');
  }

  it('SIGTERM: the scratch database is dropped on the way out', async () => {
    const child = spawnVerify();
    await untilScratchExists(child);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(3);
    expect(await scratchLeft()).toEqual([]);
  }, 120_000);

  it('SIGKILL: the next run’s janitor drops what it left', async () => {
    const child = spawnVerify(['--set', 'verify.leaseTtlSeconds=1']);
    const left = await untilScratchExists(child);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await scratchLeft()).toEqual([left]);
    await sleep(1100); // the killed run's lease expires
    const next = await run(['--json', 'verify', '--set', 'verify.janitorMaxAgeHours=0.0001']);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout).janitor.dropped).toEqual([left]);
    expect(await scratchLeft()).toEqual([]);
  }, 120_000);
});

describe('arangops backup restore', () => {
  it('restores into a new database with zero drift against the profile and the same digests; refuses an existing one', async () => {
    const store = openStore(`file://${storeDir}`, { aws: awsConfigSchema.parse({}) });
    const [latest] = (await listBackups(store)).filter((b) => b.complete).slice(-1);
    const { manifest } = await readManifest(store, latest!.backupId);
    const { code, stdout, stderr } = await run([
      'backup',
      'restore',
      latest!.backupId,
      '--database',
      'cvc_restored',
    ]);
    expect(code, stderr).toBe(0);
    const documents = manifest.collections.filter((c) => !c.isSystem).reduce((n, c) => n + c.documents, 0);
    expect(stdout).toContain(
      `restored ${latest!.backupId} into cvc_restored: ${documents.toLocaleString('en')} documents in 3 collections, 0 views, 1 graphs`,
    );

    const spec = env.profile.profile.databases.codevaldcortex!;
    const scoped = { ...env.profile.profile, databases: { cvc_restored: spec }, users: {} };
    expect(diffSchema(scoped, await inspectDatabase(admin, scoped)).items).toEqual([]);
    const db = admin.database('cvc_restored');
    for (const c of manifest.collections.filter((x) => !x.isSystem)) {
      const digest = new ContentDigest();
      for await (const batch of readCollection(db, c.name)) for (const doc of batch) digest.add(doc);
      expect([c.name, digest.hex()]).toEqual([c.name, c.digest]);
    }

    const again = await run(['backup', 'restore', latest!.backupId, '--database', 'cvc_restored']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      'database "cvc_restored" already exists; restore only creates new databases',
    );
    expect((await db.collection('agents').count()).count).toBe(
      manifest.collections.find((c) => c.name === 'agents')!.documents,
    );
  });
});
