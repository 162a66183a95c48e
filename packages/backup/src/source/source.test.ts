import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/harness/temp-dir.js';
import { countDocuments, dumpOperations, localDumpFiles, md5Hex, readDumpInventory } from './index.js';

const FIXTURES = join(import.meta.dirname, '../../../../test/data/arangodump');

async function counts(dir: string): Promise<Record<string, number>> {
  const files = await localDumpFiles(dir);
  const inv = await readDumpInventory(files);
  const out: Record<string, number> = {};
  for (const c of inv.databases[0]?.collections ?? []) out[c.name] = await countDocuments(files, c.dataPaths);
  return out;
}

describe('dump source', () => {
  it('reads the 3.10 fixture: no envelope, gzip, single-server naming, a view', async () => {
    const inv = await readDumpInventory(await localDumpFiles(join(FIXTURES, 'got-trivia-3.10')));
    expect(inv.encryption).toBe('none');
    expect(inv.databases).toHaveLength(1);
    const db = inv.databases[0]!;
    expect(db.name).toBe('familyTree');
    expect(db.dumpJson?.useEnvelope).toBe(false);
    expect(db.problems).toEqual([]);
    expect(db.collections.map((c) => [c.name, c.type])).toEqual([
      ['character', 'document'],
      ['link', 'edge'],
      ['places', 'document'],
    ]);
    expect(db.views.map((v) => v.name)).toEqual(['test']);
    expect(await counts(join(FIXTURES, 'got-trivia-3.10'))).toEqual({ character: 392, link: 348, places: 0 });
  });

  it('reads the 3.8 fixture: envelope lines, system collections', async () => {
    const c = await counts(join(FIXTURES, 'hhvm-docs-graph-3.8'));
    expect(c).toMatchObject({
      _graphs: 2,
      _users: 1,
      calls: 3090,
      methods: 1037,
      references: 0,
      typedefs: 20,
    });
    const files = await localDumpFiles(join(FIXTURES, 'hhvm-docs-graph-3.8'));
    const inv = await readDumpInventory(files);
    const calls = inv.databases[0]!.collections.find((x) => x.name === 'calls')!;
    const first = await dumpOperations(files, calls.dataPaths[0]!).next();
    // Unwrapped from {"type":2300,"data":{...}}.
    expect(first.value).toMatchObject({ op: 'put', key: '63023126' });
    expect(JSON.parse((first.value as { text: string }).text)._from).toBe(
      'methods/c8afd4ceb391ef31ca79b07bb1e8a0e4baf61916',
    );
  });

  it('reads cluster naming, plain data, split parts, --all-databases folders and nets out envelope removals', async () => {
    const root = tempDir('dump-shapes');
    const a = join(root, 'alpha');
    mkdirSync(a);
    writeFileSync(join(a, 'dump.json'), JSON.stringify({ database: 'alpha', useEnvelope: true }));
    writeFileSync(
      join(a, 'things.structure.json'),
      JSON.stringify({ parameters: { name: 'things', type: 2 }, indexes: [] }),
    );
    const stem = `things_${md5Hex('things')}`;
    writeFileSync(
      join(a, `${stem}.data.json`),
      '{"type":2300,"data":{"_key":"a","n":123456789012345678901}}\r\n\n{"type":2300,"data":{"_key":"b"}}\n',
    );
    writeFileSync(
      join(a, `${stem}.1.data.json.gz`),
      gzipSync('{"type":2302,"key":"a"}\n{"type":2300,"data":{"_key":"c"}}'),
    );
    const b = join(root, 'beta');
    cpSync(join(FIXTURES, 'got-trivia-3.10'), b, { recursive: true });
    const files = await localDumpFiles(root);
    const inv = await readDumpInventory(files);
    expect(inv.databases.map((d) => [d.dir, d.name])).toEqual([
      ['alpha', 'alpha'],
      ['beta', 'familyTree'],
    ]);
    const things = inv.databases[0]!.collections[0]!;
    expect(things.dataPaths).toEqual([`alpha/${stem}.data.json`, `alpha/${stem}.1.data.json.gz`]);
    expect(await countDocuments(files, things.dataPaths)).toBe(2);
    const ops = [];
    for await (const op of dumpOperations(files, things.dataPaths[0]!)) ops.push(op);
    // The number keeps all its digits through the envelope.
    expect(ops[0]).toEqual({ op: 'put', key: 'a', text: '{"_key":"a","n":123456789012345678901}' });
  });

  it('names a structure without data, data without structure and a misnamed structure', async () => {
    const dir = tempDir('dump-broken');
    cpSync(join(FIXTURES, 'got-trivia-3.10'), dir, { recursive: true });
    rmSync(join(dir, `link_${md5Hex('link')}.data.json.gz`));
    writeFileSync(join(dir, `ghost_${md5Hex('ghost')}.data.json`), '');
    writeFileSync(join(dir, 'other.structure.json'), JSON.stringify({ parameters: { name: 'places' } }));
    const db = (await readDumpInventory(await localDumpFiles(dir))).databases[0]!;
    expect(db.problems).toEqual([
      { file: `ghost_${md5Hex('ghost')}.data.json`, problem: 'data file without a structure file' },
      {
        file: `link_${md5Hex('link')}.structure.json`,
        problem: `collection "link" has no data file (link_${md5Hex('link')}.data.json.gz)`,
      },
      { file: 'other.structure.json', problem: 'file name does not match collection "places"' },
    ]);
  });

  it('refuses a folder that is not a dump, and an arangodump-encrypted one', async () => {
    const dir = tempDir('not-a-dump');
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    await expect(readDumpInventory(await localDumpFiles(dir))).rejects.toThrow(/not an arangodump/);
    writeFileSync(join(dir, 'ENCRYPTION'), 'aes-256-ctr');
    await expect(readDumpInventory(await localDumpFiles(dir))).rejects.toThrow(
      /encrypted by arangodump \(aes-256-ctr\)/,
    );
    await expect(localDumpFiles(join(dir, 'missing'))).rejects.toThrow(/is not a folder/);
  });
});
