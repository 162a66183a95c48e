import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  type BackupUnderTest,
  localDumpFiles,
  md5Hex,
  readDumpInventory,
  runVerify,
  type VerifyResult,
  verifyResultSchema,
} from '@arangops/backup';
import { type ArangoConnection, createArangoConnection } from '@arangops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget } from './harness/arango-target.js';
import { tempDir } from './harness/temp-dir.js';

const FIXTURES = join(import.meta.dirname, 'data/arangodump');

let target: ArangoTarget;
let connection: ArangoConnection;
beforeAll(async () => {
  target = await arangoTarget();
  connection = createArangoConnection(target.config());
});
afterAll(async () => {
  connection.close();
  await target.stop();
});

async function dumpAt(dir: string): Promise<BackupUnderTest> {
  const files = await localDumpFiles(dir);
  return {
    id: 'dump',
    kind: 'arangodump',
    location: dir,
    files,
    inventory: await readDumpInventory(files),
  };
}

async function verify(dir: string, noRestore = false): Promise<VerifyResult> {
  const result = await runVerify({
    backup: await dumpAt(dir),
    target: connection,
    toolVersion: 'test',
    noRestore,
  });
  verifyResultSchema.parse(result);
  return result;
}

const statusOf = (r: VerifyResult) => Object.fromEntries(r.checks.map((c) => [c.name, c.status]));

async function scratchDatabases(): Promise<string[]> {
  return (await connection.database('_system').listDatabases()).filter(
    (d) => d.startsWith('arangops_verify_') && d !== 'arangops_verify_lease',
  );
}

describe('verify plain arangodump folders', () => {
  it('the 3.10 fixture verifies, with its collections and counts', async () => {
    const r = await verify(join(FIXTURES, 'got-trivia-3.10'));
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.databases[0]!.collections).toEqual([
      { name: 'character', type: 'document', expected: 392, restored: 392 },
      { name: 'link', type: 'edge', expected: 348, restored: 348 },
      { name: 'places', type: 'document', expected: 0, restored: 0 },
    ]);
    expect(statusOf(r)).toMatchObject({
      pairing: 'pass',
      data: 'pass',
      restore: 'pass',
      counts: 'pass',
      digest: 'pass',
      structure: 'pass',
      edges: 'pass',
    });
    expect(await scratchDatabases()).toEqual([]);
  });

  it('the 3.8 envelope fixture verifies; system collections are listed as skipped', async () => {
    const r = await verify(join(FIXTURES, 'hhvm-docs-graph-3.8'));
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.verdict).toBe('pass');
    const counts = Object.fromEntries(r.databases[0]!.collections.map((c) => [c.name, c.restored]));
    expect(counts).toEqual({
      calls: 3090,
      classes: 192,
      defined_in: 799,
      extends: 121,
      files: 178,
      functions: 241,
      method_of: 578,
      methods: 1037,
      references: 0,
      typedefs: 20,
    });
    expect(r.databases[0]!.skipped?.map((s) => s.name)).toContain('_users');
  });

  it('an --all-databases dump: each database restored into its own scratch database and checked', async () => {
    const root = tempDir('all-databases');
    cpSync(join(FIXTURES, 'got-trivia-3.10'), join(root, 'familyTree'), { recursive: true });
    cpSync(join(FIXTURES, 'hhvm-docs-graph-3.8'), join(root, '_system'), { recursive: true });
    const r = await verify(root);
    expect(r.verdict).toBe('pass');
    expect(r.databases.map((d) => [d.source, d.collections.length])).toEqual([
      ['_system', 10],
      ['familyTree', 3],
    ]);
    expect(new Set(r.databases.map((d) => d.scratch)).size).toBe(2);
    expect(r.checks.filter((c) => c.name === 'counts').map((c) => [c.database, c.status])).toEqual([
      ['_system', 'pass'],
      ['familyTree', 'pass'],
    ]);
    expect(await scratchDatabases()).toEqual([]);
  });

  it('--no-restore reads the files only', async () => {
    const r = await verify(join(FIXTURES, 'got-trivia-3.10'), true);
    expect(r.restored).toBe(false);
    expect(statusOf(r)).toEqual({ pairing: 'pass', data: 'pass', restore: 'skipped' });
  });
});

describe('corrupted dumps fail with the reason and leave no scratch database', () => {
  const trivia = () => {
    const dir = tempDir('corrupt');
    cpSync(join(FIXTURES, 'got-trivia-3.10'), dir, { recursive: true });
    return dir;
  };
  const data = (name: string) => `${name}_${md5Hex(name)}.data.json.gz`;

  it('a missing data file', async () => {
    const dir = trivia();
    rmSync(join(dir, data('link')));
    const r = await verify(dir);
    expect(r.verdict).toBe('fail');
    expect(r.checks.find((c) => c.name === 'pairing')?.reason).toMatch(/collection "link" has no data file/);
    expect(await scratchDatabases()).toEqual([]);
  });

  it('a truncated data file', async () => {
    const dir = trivia();
    const bytes = gzipSync('{"_key":"a"}\n{"_key":"b"}\n');
    writeFileSync(join(dir, data('places')), bytes.subarray(0, bytes.length - 6));
    const r = await verify(dir);
    expect(r.verdict).toBe('fail');
    expect(r.checks.find((c) => c.name === 'data')?.reason).toMatch(/data file\(s\) do not read/);
  });

  it('dangling edges are counted and sampled', async () => {
    const dir = trivia();
    writeFileSync(join(dir, data('places')), gzipSync('{"_key":"p1","name":"Winterfell"}\n'));
    const linkLines = [
      '{"_key":"x1","_from":"character/nobody","_to":"places/p1"}',
      '{"_key":"x2","_from":"places/p1","_to":"places/gone"}',
    ];
    writeFileSync(join(dir, data('link')), gzipSync(`${linkLines.join('\n')}\n`));
    const r = await verify(dir);
    const edges = r.checks.find((c) => c.name === 'edges')!;
    expect(edges.status).toBe('fail');
    expect(edges.reason).toBe('2 dangling edge(s), e.g. link/x1 (character/nobody -> places/p1)');
    expect(await scratchDatabases()).toEqual([]);
  });
});
