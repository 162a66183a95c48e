/**
 * Drops scratch databases a crashed run left behind: registered ones older
 * than the threshold, and registry entries whose database is gone. A scratch
 * database without a registry entry was not made by this verifier (or by a
 * version before the registry); it is reported, never dropped.
 */
import type { ArangoConnection } from '@arangops/core';
import { SCRATCH_DATABASE_PREFIX } from '@arangops/schema';
import { dropScratchDatabase, LEASE_DATABASE, REGISTRY_COLLECTION, type ScratchEntry } from './scratch.js';

export interface JanitorResult {
  dropped: string[];
  kept: string[];
  unregistered: string[];
}

export async function runJanitor(
  connection: ArangoConnection,
  maxAgeMs: number,
  now: Date = new Date(),
): Promise<JanitorResult> {
  const databases = new Set(
    (
      await connection.withRetry('list databases', () => connection.database('_system').listDatabases())
    ).filter((d) => d.startsWith(SCRATCH_DATABASE_PREFIX) && d !== LEASE_DATABASE),
  );
  const cursor = await connection
    .database(LEASE_DATABASE)
    .query<ScratchEntry>(
      'FOR s IN @@registry RETURN { database: s._key, createdAt: s.createdAt, holder: s.holder }',
      { '@registry': REGISTRY_COLLECTION },
    );
  const result: JanitorResult = { dropped: [], kept: [], unregistered: [] };
  const registered = new Set<string>();
  for (const entry of await cursor.all()) {
    registered.add(entry.database);
    const age = now.getTime() - new Date(entry.createdAt).getTime();
    if (!databases.has(entry.database) || age > maxAgeMs) {
      await dropScratchDatabase(connection, entry.database);
      if (databases.has(entry.database)) result.dropped.push(entry.database);
    } else result.kept.push(entry.database);
  }
  for (const d of databases) if (!registered.has(d)) result.unregistered.push(d);
  for (const list of Object.values(result)) list.sort();
  return result;
}
