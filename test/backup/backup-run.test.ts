/**
 * `backup run` end to end against the simulator (or a real ArangoDB with ARANGO_URL): the seeded
 * CodeValdCortex database into a folder (key file) and into moto's S3 (KMS key), then list and
 * decrypt, and the decrypted directory checked against the real arangodump fixtures' layout rules
 * and the manifest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  decryptBackup,
  listBackups,
  loadBackupKey,
  openStore,
  runBackup,
  structureFileName,
} from '@arangops/backup';
import { awsConfigSchema, createArangoConnection } from '@arangops/core';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget } from '../harness/arango-target.js';
import { requireMoto } from '../harness/moto.js';
import { tempDir } from '../harness/temp-dir.js';
import { motoAws, newBucket, newKmsKey, readDumpDirectory, sdkConfig, writeKeyFile } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '../data/arangodump');
const DATABASE = 'codevaldcortex';

/** The layout rules every real dump in test/data/arangodump follows. */
function expectArangodumpLayout(dir: string): void {
  const names = readdirSync(dir);
  expect(readFileSync(join(dir, 'ENCRYPTION'), 'utf8')).toBe('none');
  const dump = JSON.parse(readFileSync(join(dir, 'dump.json'), 'utf8'));
  const fixture = JSON.parse(readFileSync(join(FIXTURES, 'got-trivia-3.10/dump.json'), 'utf8'));
  for (const key of ['database', 'useEnvelope', 'properties']) expect(dump).toHaveProperty(key);
  expect(typeof dump.properties.name).toBe(typeof fixture.properties.name);
  expect(dump.useEnvelope).toBe(false);
  for (const f of names.filter((n) => n.endsWith('.structure.json'))) {
    const s = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    expect(Object.keys(s).sort()).toEqual(['indexes', 'parameters']);
    expect(f).toMatch(/^(.+)_[0-9a-f]{32}\.structure\.json$/);
    expect(names).toContain(f.replace('.structure.json', '.data.json.gz'));
    for (const i of s.indexes) expect(['primary', 'edge']).not.toContain(i.type);
  }
  // Nothing but the kinds of files real dumps hold.
  for (const n of names)
    expect(n).toMatch(/^(ENCRYPTION|dump\.json|.+\.structure\.json|.+\.data\.json\.gz|.+\.view\.json)$/);
}

describe.each([
  ['3.12.10', 'single'],
  ['3.12.10', 'cluster'],
  ['3.11.14', 'single'],
  ['3.11.14', 'cluster'],
] as const)('backup run on %s %s', (version, mode) => {
  let target: ArangoTarget;
  beforeAll(async () => {
    target = await arangoTarget({
      version,
      mode,
      seed: { agents: 40, executions: 120, communications: 200, withSchema: true },
    });
    if (target.sim) {
      const connection = createArangoConnection(target.config());
      await connection
        .database(DATABASE)
        .createView('agents_search', { type: 'arangosearch', links: { agents: { fields: { name: {} } } } });
      connection.close();
    }
  });
  afterAll(() => target.stop());

  it('backs up into a folder with a key file; list shows it complete; decrypt yields a matching arangodump directory', async () => {
    const dir = tempDir('backup-store');
    const store = openStore(pathToFileURL(dir).href, { aws: awsConfigSchema.parse({}) });
    const key = await loadBackupKey(
      { keyFile: writeKeyFile(tempDir('backup-key')) },
      awsConfigSchema.parse({}),
    );
    const connection = createArangoConnection(target.config());
    try {
      const result = await runBackup({
        connection,
        database: DATABASE,
        store,
        key,
        toolVersion: 'test',
        parallel: 2,
        batchSize: 50,
      });
      expect(result.manifest.server.deployment).toBe(target.sim ? mode : result.manifest.server.deployment);
      expect(result.manifest.collections.map((c) => c.name)).toEqual(
        expect.arrayContaining(['agents', '_graphs']),
      );
      if (target.sim) expect(result.manifest.views).toEqual(['agents_search']);

      const [listed] = await listBackups(store, { key });
      expect(listed).toMatchObject({ backupId: result.backupId, complete: true, database: DATABASE });

      const out = join(tempDir('backup-plain'), 'dump');
      await decryptBackup(store, result.backupId, key, out);
      expectArangodumpLayout(out);
      if (target.sim) {
        const view = JSON.parse(readFileSync(join(out, 'agents_search.view.json'), 'utf8'));
        expect(view).toMatchObject({
          name: 'agents_search',
          type: 'arangosearch',
          links: { agents: expect.any(Object) },
        });
        const agents = JSON.parse(readFileSync(join(out, structureFileName('agents')), 'utf8'));
        expect(agents.parameters).toMatchObject({ name: 'agents', type: 2 });
        expect(agents.indexes.length).toBeGreaterThan(0);
      }
      const dumped = readDumpDirectory(out);
      for (const c of result.manifest.collections) {
        expect(dumped.get(c.name), c.name).toEqual({ documents: c.documents, digest: c.digest });
        if (target.sim) expect(c.documents, c.name).toBe(target.sim.state.count(DATABASE, c.name));
      }
      expect(result.manifest.collections.find((c) => c.name === 'agents')!.documents).toBeGreaterThan(0);
    } finally {
      connection.close();
      store.close();
    }
  });

  it('backs up into S3 with a KMS key (moto); no stored object holds plaintext', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const aws = motoAws(motoUrl);
    const bucket = await newBucket(motoUrl);
    const kmsKeyId = await newKmsKey(motoUrl);
    // SSE-KMS on top of our own encryption, as backup.sseKmsKeyId asks.
    const store = openStore(`s3://${bucket}/prod`, { aws, sseKmsKeyId: kmsKeyId });
    const key = await loadBackupKey({ kmsKeyId }, aws);
    const connection = createArangoConnection(target.config());
    try {
      const result = await runBackup({ connection, database: DATABASE, store, key, toolVersion: 'test' });
      expect(result.manifest.encryption).toMatchObject({
        keyKind: 'kms',
        encryptionContext: { 'arangops:backup-id': result.backupId },
      });
      const listed = await listBackups(store, { key });
      expect(listed.map((b) => [b.backupId, b.complete, b.problem])).toEqual([
        [result.backupId, true, undefined],
      ]);
      const s3 = new S3Client(sdkConfig(motoUrl));
      const head = await s3.send(
        new HeadObjectCommand({
          Bucket: bucket,
          Key: `prod/backups/${result.backupId}/arangops-manifest.json`,
        }),
      );
      s3.destroy();
      expect(head).toMatchObject({
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: expect.stringContaining(kmsKeyId),
      });

      // Grep the store: no document key, collection name or JSON structure appears in any data object.
      const agentKey = JSON.stringify(result.manifest.database.name);
      for await (const o of store.list('backups/')) {
        if (o.key.endsWith('arangops-manifest.json')) continue;
        const raw = await store.getBytes(o.key);
        expect(raw[0], `${o.key} is an Encryption SDK message (format version 2)`).toBe(0x02);
        const bytes = raw.toString('latin1');
        expect(bytes).not.toContain(agentKey);
        expect(bytes).not.toContain('"_key"');
        expect(bytes).not.toContain('"parameters"');
      }

      // Another KMS key: refused, naming both keys.
      const other = await loadBackupKey({ kmsKeyId: await newKmsKey(motoUrl) }, aws);
      await expect(listBackups(store, { key: other })).resolves.toMatchObject([
        {
          complete: false,
          problem: expect.stringMatching(
            new RegExp(
              `key ${other.keyId} unwraps none of the object's data keys \\(KMS key ${key.keyId}\\)`,
            ),
          ),
        },
      ]);

      const out = join(tempDir('backup-plain'), 'dump');
      await decryptBackup(store, result.backupId, key, out);
      expectArangodumpLayout(out);
      const dumped = readDumpDirectory(out);
      for (const c of result.manifest.collections)
        expect(dumped.get(c.name), c.name).toEqual({ documents: c.documents, digest: c.digest });
    } finally {
      connection.close();
      store.close();
    }
  });
});
