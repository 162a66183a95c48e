/**
 * `backup run`: one database into `backups/<id>/` of a store, streamed end to end (cursor → JSON
 * lines → gzip → Encryption SDK → upload), collections in parallel up to a bound, the sealed
 * manifest written last. On any failure nothing more is written and the error goes up: the prefix
 * stays without a manifest (an incomplete backup that `list` shows and `prune` removes).
 */
import { Readable } from 'node:stream';
import type { ArangoConnection, Logger } from '@arangops/core';
import { withSpan } from '@arangops/core';
import type { Database } from 'arangojs';
import {
  ALGORITHM_SUITE,
  type BackupCipher,
  backupCipher,
  encryptionContext,
  FRAME_LENGTH,
} from '../crypto/envelope.js';
import type { BackupKey } from '../crypto/keys.js';
import {
  type CollectionFilter,
  collectionInventory,
  databaseProperties,
  listCollections,
  serverInfo,
  viewInventory,
} from '../dump/inventory.js';
import { readCollection } from '../dump/read-collection.js';
import { ContentDigest, DIGEST_ALGORITHM } from '../format/digest.js';
import {
  BACKUP_MANIFEST_FILE,
  backupPrefix,
  DUMP_JSON_FILE,
  dataFileName,
  ENCRYPTION_FILE,
  ENCRYPTION_NONE,
  newBackupId,
  structureFileName,
  viewFileName,
} from '../format/layout.js';
import { stringifyLossless } from '../format/lossless.js';
import {
  CONSISTENCY_NOTE,
  MANIFEST_FORMAT,
  type Manifest,
  type ManifestCollection,
  type ManifestFile,
  sealManifest,
} from '../format/manifest.js';
import type { BackupStore } from '../store/types.js';
import { writeBackupObject } from './object-writer.js';

export interface BackupProgress {
  documents: number;
  /** Plaintext bytes of data files written so far (before gzip). */
  bytes: number;
  /** Documents the collections held when the backup started; for an ETA. */
  expectedDocuments: number;
  collectionsDone: number;
  collections: number;
}

export interface RunBackupOptions extends CollectionFilter {
  connection: ArangoConnection;
  database: string;
  store: BackupStore;
  key: BackupKey;
  toolVersion: string;
  /** Collections read at the same time (default 2). */
  parallel?: number;
  batchSize?: number;
  logger?: Logger;
  onProgress?: (progress: BackupProgress) => void;
  /** Aborting stops every upload (no parts left behind) and writes no manifest; the signal's reason is thrown. */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface BackupResult {
  backupId: string;
  manifest: Manifest;
  durationSeconds: number;
  storedBytes: number;
  documents: number;
}

export async function runBackup(options: RunBackupOptions): Promise<BackupResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const backupId = newBackupId(options.database, started);
  const { store, database } = options;
  return withSpan(
    'backup',
    { 'arangops.backup.id': backupId, 'db.namespace': database, 'arangops.store': store.url },
    async (span) => {
      const db = options.connection.database(database);
      const read = <T>(label: string, fn: () => Promise<T>) => options.connection.withRetry(label, fn);
      const server = await read('server info', () => serverInfo(db));
      const properties = await read('database properties', () => databaseProperties(db));
      const names = await read('list collections', () => listCollections(db, options));
      const views = await read('list views', () => viewInventory(db));
      const expected = await read('collection counts', () => countAll(db, names));
      options.logger?.info(
        { backupId, database, collections: names.length, store: store.url },
        'backup started',
      );

      const cipher = backupCipher(options.key, { database, backupId });
      const files: ManifestFile[] = [];
      const { signal } = options;
      const put = async (name: string, body: string) => {
        files.push(
          await writeBackupObject(store, cipher, backupId, name, Readable.from([Buffer.from(body)]), {
            ...(signal ? { signal } : {}),
          }),
        );
      };
      await put(ENCRYPTION_FILE, ENCRYPTION_NONE);
      // No lastTickAtDumpStart: a coordinator has no single tick, and arangorestore reads only these three.
      await put(DUMP_JSON_FILE, JSON.stringify({ database, useEnvelope: false, properties }));
      for (const v of views) await put(viewFileName(v.name), JSON.stringify(v.properties));

      const progress: BackupProgress = {
        documents: 0,
        bytes: 0,
        expectedDocuments: [...expected.values()].reduce((a, b) => a + b, 0),
        collectionsDone: 0,
        collections: names.length,
      };
      const collections: ManifestCollection[] = [];
      await forEachLimited(names, options.parallel ?? 2, async (name) => {
        const result = await backupCollection(db, name, {
          ...options,
          backupId,
          cipher,
          now,
          onBatch: (docs, bytes) => {
            progress.documents += docs;
            progress.bytes += bytes;
            options.onProgress?.({ ...progress });
          },
        });
        files.push(...result.files);
        collections.push(result.collection);
        progress.collectionsDone += 1;
        options.onProgress?.({ ...progress });
        options.logger?.info(
          { backupId, collection: name, documents: result.collection.documents },
          'collection backed up',
        );
      });

      const finished = now();
      const byName = (a: { name: string }, b: { name: string }) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      const manifest: Manifest = {
        format: MANIFEST_FORMAT,
        backupId,
        tool: { name: 'arangops', version: options.toolVersion },
        server,
        database: { name: database, properties },
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        consistency: CONSISTENCY_NOTE,
        encryption: {
          sdk: 'aws-encryption-sdk',
          algorithmSuite: ALGORITHM_SUITE,
          frameLength: FRAME_LENGTH,
          keyKind: options.key.kind,
          keyId: options.key.keyId,
          encryptionContext: encryptionContext({ database, backupId }),
        },
        digestAlgorithm: DIGEST_ALGORITHM,
        collections: collections.sort(byName),
        views: views.map((v) => v.name),
        files: files.sort(byName),
      };
      // The commit marker: only now does the backup exist for list, verify and prune.
      signal?.throwIfAborted();
      await store.put(
        `${backupPrefix(backupId)}${BACKUP_MANIFEST_FILE}`,
        await sealManifest(manifest, cipher),
      );
      const storedBytes = files.reduce((a, f) => a + f.storedBytes, 0);
      span.setAttributes({
        'arangops.backup.documents': progress.documents,
        'arangops.backup.bytes': storedBytes,
      });
      const durationSeconds = (finished.getTime() - started.getTime()) / 1000;
      options.logger?.info(
        { backupId, documents: progress.documents, storedBytes, durationSeconds },
        'backup complete',
      );
      return { backupId, manifest, durationSeconds, storedBytes, documents: progress.documents };
    },
  );
}

interface CollectionRun {
  backupId: string;
  cipher: BackupCipher;
  store: BackupStore;
  connection: ArangoConnection;
  batchSize?: number;
  signal?: AbortSignal | undefined;
  now: () => Date;
  onBatch: (documents: number, bytes: number) => void;
}

async function backupCollection(
  db: Database,
  name: string,
  run: CollectionRun,
): Promise<{ collection: ManifestCollection; files: ManifestFile[] }> {
  return withSpan(
    'backup.collection',
    { 'arangops.backup.id': run.backupId, 'db.collection.name': name },
    async (span) => {
      const startedAt = run.now().toISOString();
      const inventory = await run.connection.withRetry(`inventory of ${name}`, () =>
        collectionInventory(db, name),
      );
      const structure = await writeBackupObject(
        run.store,
        run.cipher,
        run.backupId,
        structureFileName(name),
        Readable.from([Buffer.from(JSON.stringify(inventory.structure))]),
        run.signal ? { signal: run.signal } : {},
      );
      const digest = new ContentDigest();
      const batchSize = run.batchSize;
      async function* lines(): AsyncGenerator<Buffer> {
        for await (const batch of readCollection(db, name, batchSize ? { batchSize } : {})) {
          if (batch.length === 0) continue;
          let text = '';
          for (const doc of batch) {
            digest.add(doc);
            text += `${stringifyLossless(doc)}\n`;
          }
          const chunk = Buffer.from(text);
          run.onBatch(batch.length, chunk.length);
          yield chunk;
        }
      }
      // An empty collection still gets its (empty) data file: arangorestore expects one per structure file.
      const data = await writeBackupObject(
        run.store,
        run.cipher,
        run.backupId,
        dataFileName(name),
        // One chunk (a batch) waiting at most: batches do not pile up, and live long enough to be promoted, behind a slow upload.
        Readable.from(lines(), { highWaterMark: 1 }),
        { gzip: true, ...(run.signal ? { signal: run.signal } : {}) },
      );
      span.setAttribute('arangops.backup.documents', digest.count);
      return {
        collection: {
          name,
          type: inventory.type,
          isSystem: inventory.isSystem,
          documents: digest.count,
          digest: digest.hex(),
          structureFile: structure.name,
          dataFile: data.name,
          startedAt,
          finishedAt: run.now().toISOString(),
        },
        files: [structure, data],
      };
    },
  );
}

async function countAll(db: Database, names: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const name of names) {
    const body = (await db.request({ pathname: `/_api/collection/${encodeURIComponent(name)}/count` })) as {
      count: number;
    };
    counts.set(name, body.count);
  }
  return counts;
}

/** Runs `fn` over `items`, at most `limit` at once; the first failure stops new work and is thrown. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
