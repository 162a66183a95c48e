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

/**
 * How long a collection's index list is trusted without asking again. Figures come every scrape
 * and count the indexes (summed over shards in a cluster): when that count changes, the list
 * is asked for at once; the interval only bounds how late an index replaced by another
 * (dropped and created between two scrapes) is seen.
 */
export const INDEX_LIST_TTL_MS = 300_000;

/** A collection's index names, and what its figures counted when they were read. */
interface IndexList {
  names: string[];
  figuresCount: number | undefined;
  atMs: number;
}

/** Per database and collection: documents, sizes, index counts; and whether each declared index exists. */
export function collectionsCollector(options: {
  connection: ArangoConnection;
  databases: string[];
  declaredIndexes: DeclaredIndex[];
  timeoutMs: number;
  now: () => number;
}): Collector {
  // By database, then collection: index lists change with deployments, not from scrape to scrape.
  let indexLists = new Map<string, Map<string, IndexList>>();
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

      const nextLists = new Map<string, Map<string, IndexList>>();
      await Promise.all(
        databases.map(async (database) => {
          const db = options.connection.database(database);
          const collections = (await db.collections(true)) as Collection[];
          const known = indexLists.get(database);
          const lists = new Map<string, IndexList>();
          nextLists.set(database, lists);
          await mapLimited(collections, CONCURRENCY, async (collection) => {
            const labels = { database, collection: collection.name };
            const figures = await collection.figures();
            const indexes = figures.figures?.indexes as { count?: unknown; size?: unknown } | undefined;
            const figuresCount = number(indexes?.count);
            const now = options.now();
            let list = known?.get(collection.name);
            if (!list || list.figuresCount !== figuresCount || now - list.atMs >= INDEX_LIST_TTL_MS) {
              const described: Index[] = await collection.indexes();
              list = { names: described.map((index) => index.name), figuresCount, atMs: now };
            }
            lists.set(collection.name, list);
            const count = number(figures.count);
            if (count !== undefined) documents.set(labels, count);
            const docSize = number(figures.figures?.documentsSize);
            if (docSize !== undefined) documentsSize.set(labels, docSize);
            const idxSize = number(indexes?.size);
            if (idxSize !== undefined) indexesSize.set(labels, idxSize);
            indexCount.set(labels, list.names.length);
          });
          for (const declared of declaredIn(database)) {
            const existing = lists.get(declared.collection)?.names ?? [];
            present.set(
              { database, collection: declared.collection, index: declared.index },
              existing.includes(declared.index) ? 1 : 0,
            );
          }
        }),
      );
      // Collections that are gone are forgotten; a run cut short keeps the lists of the one before.
      indexLists = nextLists;
    },
  };
}
