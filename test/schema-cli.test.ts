/** `arangops drift` and `arangops bootstrap` as a CI job or Helm hook runs them: exit codes, formats, run records. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REAL_SERVER, startTarget, type Target } from '../packages/schema/src/__tests__/target.js';
import { runCli } from './harness/cli.js';
import { tempDir } from './harness/temp-dir.js';

let target: Target;
let work: string;
let profileDir: string;
let shop: string;
let reader: string;

beforeEach(async () => {
  target = await startTarget({ mode: 'single', version: '3.12.10' });
  work = tempDir('schema-cli');
  profileDir = join(work, 'profile');
  shop = target.name('shop');
  reader = target.name('reader');
  await writeProfile(`version: 1
databases:
  ${shop}:
    collections:
      products:
        indexes:
          - { name: idx_products_status, type: persistent, fields: [status] }
users:
  ${reader}:
    password: { env: SHOP_READER_PASSWORD }
    grants: { ${shop}: ro }
`);
});

afterEach(async () => {
  await target.stop();
});

async function writeProfile(text: string): Promise<void> {
  await mkdir(profileDir, { recursive: true });
  await writeFile(join(profileDir, 'schema.yaml'), text);
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['--log-level', 'silent', '--set', `runRecords.dir=${join(work, 'runs')}`, ...args], {
    ARANGO_URL: REAL_SERVER ?? target.sim!.url,
    ...(process.env.ARANGO_USERNAME ? { ARANGO_USERNAME: process.env.ARANGO_USERNAME } : {}),
    ...(process.env.ARANGO_PASSWORD ? { ARANGO_PASSWORD: process.env.ARANGO_PASSWORD } : {}),
    ...env,
  });
}

const runRecord = async (job: string) =>
  JSON.parse(await readFile(join(work, 'runs', `${job}.json`), 'utf8'));

describe('arangops drift / bootstrap', () => {
  it('drift exits 1 on an empty server, bootstrap fixes it, drift then exits 0', async () => {
    const before = await run(['drift', '--profile', profileDir]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain(`  + missing    additive    ${shop}/collections/products\n`);
    expect(before.stdout).toContain('drift found (fail-on additive)');
    expect(await runRecord('drift')).toMatchObject({
      job: 'drift',
      success: false,
      summary: { items: 5, additive: 5 },
    });

    // Password sources are read from the environment, as in a Helm hook.
    const boot = await run(['bootstrap', '--profile', profileDir, '--wait-timeout', '10'], {
      SHOP_READER_PASSWORD: 'pw-1234',
    });
    expect(boot.stderr).toBe('');
    expect(boot.code).toBe(0);
    expect(boot.stdout).toContain('Bootstrap applied: 5 action(s)');
    expect(boot.stdout).not.toContain('pw-1234');
    expect(await runRecord('bootstrap')).toMatchObject({
      job: 'bootstrap',
      success: true,
      summary: { items: 0, applied: 5 },
    });

    const after = await run(['drift', '--profile', profileDir]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(
      '0 item(s): additive 0, mutable 0, recreate 0, destructive 0; 0 ignored; in sync',
    );
    expect(await runRecord('drift')).toMatchObject({ success: true, summary: { items: 0 } });

    const json = await run(['drift', '--profile', profileDir, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ items: [], inSync: true, server: { role: 'SINGLE' } });
    const junit = await run(['drift', '--profile', profileDir, '--format', 'junit']);
    expect(junit.stdout).toContain('<testcase classname="schema" name="schema in sync"/>');
    const md = await run(['drift', '--profile', profileDir, '--format', 'markdown']);
    expect(md.stdout).toContain('# Schema drift');
  });

  it('--fail-on and --ignore decide which drift fails', async () => {
    const bootstrap = await run(['bootstrap', '--profile', profileDir, '--wait-timeout', '10'], {
      SHOP_READER_PASSWORD: 'pw',
    });
    expect(bootstrap.code).toBe(0);
    await target.admin.database(shop).collection('products').properties({ waitForSync: true });
    expect((await run(['drift', '--profile', profileDir])).code).toBe(1);
    expect((await run(['drift', '--profile', profileDir, '--fail-on', 'mutable'])).code).toBe(1);
    const recreate = await run(['drift', '--profile', profileDir, '--fail-on', 'recreate']);
    expect(recreate.code).toBe(0);
    expect(recreate.stdout).toContain('no drift at or above recreate');
    const ignored = await run(['drift', '--profile', profileDir, '--ignore', `${shop}/collections/*`]);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toContain('1 ignored; in sync');
  });

  it('a step the server refuses is listed, the rest applies, and bootstrap exits 1', async () => {
    const env = { SHOP_READER_PASSWORD: 'pw' };
    expect((await run(['bootstrap', '--profile', profileDir, '--wait-timeout', '10'], env)).code).toBe(0);
    await target.admin
      .database(shop)
      .collection('products')
      .saveAll([{ status: 'a' }, { status: 'a' }]);
    await writeProfile(`version: 1
databases:
  ${shop}:
    collections:
      products:
        waitForSync: true
        indexes:
          - { name: idx_products_status, type: persistent, fields: [status], unique: true }
users:
  ${reader}:
    password: { env: SHOP_READER_PASSWORD }
    grants: { ${shop}: ro }
`);
    const result = await run(
      ['bootstrap', '--profile', profileDir, '--allow-recreate', '--fail-on', 'destructive'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `Refused (1; what they touch is as before):\n  ${shop}/collections/products/indexes/idx_products_status:`,
    );
    expect(result.stdout).toContain('(errorNum 1210)');
    const props = await target.admin.database(shop).collection('products').properties();
    expect(props.waitForSync).toBe(true);
    const indexes = await target.admin.database(shop).collection('products').indexes();
    expect(indexes.map((i) => i.name)).toContain('idx_products_status');
  });

  it('bootstrap refuses a profile that manages the user it connects as (exit 2)', async () => {
    await writeProfile(`version: 1
databases:
  ${shop}: {}
users:
  root:
    active: false
    password: { env: X }
`);
    const result = await run(['bootstrap', '--profile', profileDir, '--wait-timeout', '10']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('(users.root): bootstrap does not manage root');
    expect(target.writes()).toBe(0);
  });

  it('bootstrap --dry-run prints the plan and changes nothing', async () => {
    target.resetWrites();
    const dry = await run(['bootstrap', '--profile', profileDir, '--dry-run', '--wait-timeout', '10'], {
      SHOP_READER_PASSWORD: 'pw',
    });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Bootstrap plan (dry run): 5 action(s)\n  createDatabase   ');
    if (target.sim) expect(target.sim.state.requestLog.filter((r) => r.method !== 'GET')).toEqual([]);
    expect((await run(['drift', '--profile', profileDir])).code).toBe(1);
  });

  it('a dry run needs no password: it lists the sources the real run reads, and exits 0', async () => {
    target.resetWrites();
    const dry = await run(['bootstrap', '--profile', profileDir, '--dry-run', '--wait-timeout', '10']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Bootstrap plan (dry run): 5 action(s)');
    expect(dry.stdout).toContain(
      `Passwords the real run reads (1, 1 missing):\n  ${reader.padEnd(16)} env SHOP_READER_PASSWORD (missing)\n`,
    );
    expect(target.writes()).toBe(0);
  });

  it('bootstrap --dry-run --json prints exactly one JSON document, listing the passwords needed', async () => {
    const dry = await run([
      '--json',
      'bootstrap',
      '--profile',
      profileDir,
      '--dry-run',
      '--wait-timeout',
      '10',
    ]);
    expect(dry.code).toBe(0);
    const doc = JSON.parse(dry.stdout);
    expect(doc).toMatchObject({ dryRun: true, plan: { actions: expect.any(Array) } });
    expect(doc.passwordsNeeded).toEqual([
      {
        user: reader,
        source: 'env SHOP_READER_PASSWORD',
        ready: false,
        problem: `users.${reader}.password.env: password of user "${reader}": environment variable SHOP_READER_PASSWORD is not set`,
      },
    ]);
    const ready = await run(
      ['--json', 'bootstrap', '--profile', profileDir, '--dry-run', '--wait-timeout', '10'],
      {
        SHOP_READER_PASSWORD: 'pw-secret-1234',
      },
    );
    expect(JSON.parse(ready.stdout).passwordsNeeded).toEqual([
      { user: reader, source: 'env SHOP_READER_PASSWORD', ready: true },
    ]);
    expect(ready.stdout).not.toContain('pw-secret-1234');
  });

  it('exits 2 naming the user and variable when a password source is missing', async () => {
    const { code, stderr } = await run(['bootstrap', '--profile', profileDir, '--wait-timeout', '10']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `arangops: users.${reader}.password.env: password of user "${reader}": environment variable SHOP_READER_PASSWORD is not set\n`,
    );
  });

  it('exits 2 with file, line and column for a profile typo', async () => {
    await writeProfile(
      'version: 1\ndatabases:\n  shop:\n    collections:\n      p:\n        indexes:\n          - { name: i, type: hash_index, fields: [a] }\n',
    );
    const { code, stderr } = await run(['drift', '--profile', profileDir]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `arangops: ${join(profileDir, 'schema.yaml')}:7:30 (databases.shop.collections.p.indexes.0.type): unknown index type "hash_index"; expected one of persistent, ttl, geo, fulltext, inverted, mdi, mdi-prefixed\n`,
    );
  });
});
