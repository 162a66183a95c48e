import type { ArangoConnection } from '@arangops/core';
import type { Collection } from 'arangojs/collections';
import type { IndexDescription as Index } from 'arangojs/indexes';
import type { Collector } from '../collector.js';
import { COLLECTION_METRICS } from '../metric-names.js';
import type { DeclaredIndex } from '../types.js';

/** Requests in flight at once, so a database with hundreds of collections does not flood a coordinator. */
const CONCURRENCY = 8;

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await fn(items[at] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Per database and collection: documents, sizes, index counts; and whether each declared index exists. */
export function collectionsCollector(options: {
  connection: ArangoConnection;
  databases: string[];
  declaredIndexes: DeclaredIndex[];
  timeoutMs: number;
}): Collector {
  return {
    name: 'collections',
    needsArango: true,
    timeoutMs: options.timeoutMs,
    async collect(context) {
      const documents = context.family(COLLECTION_METRICS.documents);
      const documentsSize = context.family(COLLECTION_METRICS.documentsSize);
      const indexCount = context.family(COLLECTION_METRICS.indexes);
      const indexesSize = context.family(COLLECTION_METRICS.indexesSize);
      const present = context.family(COLLECTION_METRICS.indexPresent);
      const defaultDatabase = options.connection.database().name;
      const databases = options.databases.length > 0 ? options.databases : [defaultDatabase];
      const declaredIn = (database: string) =>
        options.declaredIndexes.filter((index) => (index.database ?? defaultDatabase) === database);

      await Promise.all(
        databases.map(async (database) => {
          const db = options.connection.database(database);
          const collections = (await db.collections(true)) as Collection[];
          const indexesByCollection = new Map<string, Index[]>();
          await mapLimited(collections, CONCURRENCY, async (collection) => {
            const labels = { database, collection: collection.name };
            const [figures, indexes] = await Promise.all([collection.figures(), collection.indexes()]);
            indexesByCollection.set(collection.name, indexes);
            const count = number(figures.count);
            if (count !== undefined) documents.set(labels, count);
            const docSize = number(figures.figures?.documentsSize);
            if (docSize !== undefined) documentsSize.set(labels, docSize);
            const idxSize = number((figures.figures?.indexes as { size?: unknown } | undefined)?.size);
            if (idxSize !== undefined) indexesSize.set(labels, idxSize);
            indexCount.set(labels, indexes.length);
          });
          for (const declared of declaredIn(database)) {
            const existing = indexesByCollection.get(declared.collection) ?? [];
            present.set(
              { database, collection: declared.collection, index: declared.index },
              existing.some((index) => index.name === declared.index) ? 1 : 0,
            );
          }
        }),
      );
    },
  };
}
