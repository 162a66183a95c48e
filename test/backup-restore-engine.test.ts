import { join } from 'node:path';
import { localDumpFiles, readDumpInventory, restoreDatabase } from '@arangops/backup';
import { type ArangoConnection, createArangoConnection } from '@arangops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget } from './harness/arango-target.js';

const FIXTURES = join(import.meta.dirname, 'data/arangodump');

let target: ArangoTarget;
let connection: ArangoConnection;
const created: string[] = [];
beforeAll(async () => {
  target = await arangoTarget();
  connection = createArangoConnection(target.config());
});
afterAll(async () => {
  for (const name of created)
    await connection
      .database('_system')
      .dropDatabase(name)
      .catch(() => undefined);
  connection.close();
  await target.stop();
});

async function restore(fixture: string, database: string) {
  const files = await localDumpFiles(join(FIXTURES, fixture));
  const dump = (await readDumpInventory(files)).databases[0]!;
  created.push(database);
  return restoreDatabase({ connection, database, files, dump, parallel: 3, batchBytes: 16 * 1024 });
}

describe('restore engine', () => {
  it('restores the 3.10 fixture: collections, edges, the view', async () => {
    const summary = await restore('got-trivia-3.10', 'arangops_verify_restore_trivia');
    expect(summary.collections.map((c) => [c.name, c.documents, c.errors])).toEqual([
      ['character', 392, 0],
      ['places', 0, 0],
      ['link', 348, 0],
    ]);
    const db = connection.database('arangops_verify_restore_trivia');
    expect((await db.collection('link').count()).count).toBe(348);
    expect((await db.collection('link').properties()).type).toBe(3);
    expect((await db.listViews()).map((v) => v.name)).toEqual(['test']);
  });

  it('restores the 3.8 envelope fixture with its named graphs and never a system collection', async () => {
    const summary = await restore('hhvm-docs-graph-3.8', 'arangops_verify_restore_hhvm');
    expect(summary.documents).toBe(3090 + 192 + 799 + 121 + 178 + 241 + 578 + 1037 + 0 + 20);
    expect(summary.graphs).toEqual(['callsites', 'hierarchy']);
    expect(summary.skipped.map((s) => s.name)).toContain('_users');
    const db = connection.database('arangops_verify_restore_hhvm');
    // Only _system has _users; nothing from the dump's _users reached the new database.
    expect((await db.collections(false)).map((c) => c.name)).not.toContain('_users');
    expect((await db.listCollections()).map((c) => c.name).sort()).toEqual(
      summary.collections.map((c) => c.name).sort(),
    );
    expect((await db.graph('hierarchy').get()).edgeDefinitions.map((e) => e.collection).sort()).toEqual([
      'extends',
      'method_of',
    ]);
  });

  it('refuses a database that exists', async () => {
    await expect(restore('got-trivia-3.10', 'arangops_verify_restore_trivia')).rejects.toThrow(
      /already exists/,
    );
  });
});
