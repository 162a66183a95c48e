/**
 * Scratch databases: named `arangops_verify_<backup>_<run>`, guarded before
 * every create and drop, registered (with their creation time) in the lease
 * database before they are created, so the janitor knows their age.
 */
import { randomBytes } from 'node:crypto';
import { type ArangoConnection, InputError, isArangoServerError, toArangopsError } from '@arangops/core';
import { assertScratchDatabaseName, SCRATCH_DATABASE_PREFIX } from '@arangops/schema';

/** The database holding the verifier's lease and the scratch registry; never a scratch database itself. */
export const LEASE_DATABASE = `${SCRATCH_DATABASE_PREFIX}lease`;
export const LEASE_COLLECTION = 'lease';
export const REGISTRY_COLLECTION = 'scratch';

const MAX_ID = 48 - 5;
const DATABASE_NOT_FOUND = 1228;
const DUPLICATE_NAME = 1207;
const DOCUMENT_NOT_FOUND = 1202;

export function scratchDatabaseName(backupId: string): string {
  const id = backupId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, MAX_ID);
  return `${SCRATCH_DATABASE_PREFIX}${id}_${randomBytes(2).toString('hex')}`;
}

/** The hard guard: the scratch prefix, not the lease database, and none of the backup's own databases. */
export function assertScratchTarget(name: string, sourceDatabases: string[]): void {
  assertScratchDatabaseName(name);
  if (name === LEASE_DATABASE || sourceDatabases.includes(name)) {
    throw new InputError(
      `refusing to use database "${name}" as a scratch database: it is ${name === LEASE_DATABASE ? "the verifier's lease database" : 'a database the backup was taken from'}`,
      { field: 'database' },
    );
  }
}

/** Makes sure the lease database and its collections exist (racing verifiers both succeed). */
export async function ensureLeaseDatabase(connection: ArangoConnection): Promise<void> {
  await ignoring(DUPLICATE_NAME, () => connection.database('_system').createDatabase(LEASE_DATABASE));
  const db = connection.database(LEASE_DATABASE);
  for (const name of [LEASE_COLLECTION, REGISTRY_COLLECTION]) {
    await ignoring(DUPLICATE_NAME, () => db.createCollection(name));
  }
}

export interface ScratchEntry {
  database: string;
  createdAt: string;
  holder: string;
}

export async function registerScratchDatabase(
  connection: ArangoConnection,
  name: string,
  sourceDatabases: string[],
  holder: string,
  now: Date = new Date(),
): Promise<void> {
  assertScratchTarget(name, sourceDatabases);
  const entry: ScratchEntry = { database: name, createdAt: now.toISOString(), holder };
  await connection.withRetry('register scratch database', () =>
    connection
      .database(LEASE_DATABASE)
      .collection(REGISTRY_COLLECTION)
      .save({ _key: name, ...entry }),
  );
}

/** Drops a scratch database (if it exists) and its registry entry. */
export async function dropScratchDatabase(connection: ArangoConnection, name: string): Promise<void> {
  assertScratchTarget(name, []);
  await ignoring(DATABASE_NOT_FOUND, () => connection.database('_system').dropDatabase(name));
  await ignoring(DOCUMENT_NOT_FOUND, () =>
    connection.database(LEASE_DATABASE).collection(REGISTRY_COLLECTION).remove(name),
  );
}

export async function ignoring<T>(errorNum: number, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (isArangoServerError(toArangopsError(e), errorNum)) return undefined;
    throw toArangopsError(e);
  }
}
