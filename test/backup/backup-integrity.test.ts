/**
 * What the seal and the encryption context guard against: an edited manifest, an object swapped in
 * from another backup, a flipped byte, the wrong key. And one data key per backup.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import {
  BackupIntegrityError,
  type BackupKey,
  type BackupResult,
  backupPrefix,
  decryptBackup,
  KeyError,
  listBackups,
  loadBackupKey,
  openStore,
  readManifest,
  runBackup,
} from '@arangops/backup';
import { awsConfigSchema, createArangoConnection } from '@arangops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget } from '../harness/arango-target.js';
import { tempDir } from '../harness/temp-dir.js';
import { writeKeyFile } from './helpers.js';

const aws = awsConfigSchema.parse({});
let target: ArangoTarget;
let root: string;
let key: BackupKey;
let first: BackupResult;
let second: BackupResult;
const store = () => openStore(pathToFileURL(root).href, { aws });

beforeAll(async () => {
  target = await arangoTarget({
    mode: 'single',
    version: '3.12.10',
    seed: { agents: 10, executions: 20, communications: 20 },
  });
  root = tempDir('backup-integrity');
  key = await loadBackupKey({ keyFile: writeKeyFile(root) }, aws);
  const connection = createArangoConnection(target.config());
  try {
    first = await runBackup({
      connection,
      database: 'codevaldcortex',
      store: store(),
      key,
      toolVersion: 'test',
    });
    second = await runBackup({
      connection,
      database: 'codevaldcortex',
      store: store(),
      key,
      toolVersion: 'test',
    });
  } finally {
    connection.close();
  }
});
afterAll(() => target.stop());

const fileOf = (id: string, name: string) => join(root, backupPrefix(id), name);

describe('backup integrity', () => {
  it('uses one data key for every object of a backup, another for the next backup', async () => {
    const wrappedKeys = async (result: BackupResult) => {
      const { cipher } = await readManifest(store(), result.backupId, { key });
      const seen = new Set<string>();
      for (const f of result.manifest.files) {
        const decrypt = cipher!.decryptStream();
        decrypt.once('MessageHeader', (h: { encryptedDataKeys: { encryptedDataKey: Uint8Array }[] }) => {
          for (const edk of h.encryptedDataKeys)
            seen.add(Buffer.from(edk.encryptedDataKey).toString('base64'));
        });
        await pipeline(
          Readable.from([readFileSync(fileOf(result.backupId, f.object))]),
          decrypt,
          async (s) => {
            for await (const _ of s);
          },
        );
      }
      return seen;
    };
    const a = await wrappedKeys(first);
    const b = await wrappedKeys(second);
    expect(a.size).toBe(1);
    expect(b.size).toBe(1);
    expect([...a][0]).not.toBe([...b][0]);
  });

  it('detects an edited manifest with the key; listing without a key still reads it', async () => {
    const id = second.backupId;
    const path = fileOf(id, 'arangops-manifest.json');
    const original = readFileSync(path, 'utf8');
    const doc = JSON.parse(original);
    doc.manifest.collections[0].documents += 1;
    writeFileSync(path, JSON.stringify(doc, null, 2));
    try {
      await expect(readManifest(store(), id, { key })).rejects.toThrow(BackupIntegrityError);
      await expect(readManifest(store(), id, { key })).rejects.toThrow(
        /changed after the backup was written/,
      );
      expect((await readManifest(store(), id)).authenticated).toBe(false);
      const listed = await listBackups(store(), { key });
      expect(listed.find((b) => b.backupId === id)).toMatchObject({
        complete: false,
        problem: expect.stringMatching(/changed/),
      });
    } finally {
      writeFileSync(path, original);
    }
  });

  it('refuses an object swapped in from another backup (encryption context), and a flipped byte', async () => {
    const name = first.manifest.files.find(
      (f) => f.name.startsWith('agents_') && f.name.endsWith('.data.json.gz'),
    )!;
    const target2 = fileOf(second.backupId, name.object);
    const original = readFileSync(target2);
    try {
      writeFileSync(target2, readFileSync(fileOf(first.backupId, name.object)));
      const swapped = await decryptBackup(store(), second.backupId, key, join(tempDir('swap'), 'out')).catch(
        (e: unknown) => e,
      );
      expect(swapped).toBeInstanceOf(KeyError);
      expect((swapped as Error).message).toMatch(/encryption context mismatch: arangops:backup-id/);

      const flipped = Buffer.from(original);
      flipped[flipped.length - 40]! ^= 0x01;
      writeFileSync(target2, flipped);
      const out = join(tempDir('flip'), 'out');
      await expect(decryptBackup(store(), second.backupId, key, out)).rejects.toThrow(/cannot decrypt/);
      // Nothing half-written: the directory does not exist.
      expect(() => readFileSync(join(out, 'dump.json'))).toThrow(/ENOENT/);
    } finally {
      writeFileSync(target2, original);
    }
  });

  it('refuses another key', async () => {
    const other = await loadBackupKey({ keyFile: writeKeyFile(tempDir('other-key')) }, aws);
    const refused = readManifest(store(), first.backupId, { key: other });
    await expect(refused).rejects.toThrow(KeyError);
    await expect(refused).rejects.toThrow(
      `key ${other.keyId} unwraps none of the object's data keys (a key file): the backup was encrypted with another key`,
    );
  });
});
