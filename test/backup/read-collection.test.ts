/**
 * The live-collection reader against the simulator (or a real ArangoDB with ARANGO_URL): the
 * streaming cursor requests it makes and the answers it relies on, as the recordings show them
 * (3.12/RestCursorCreateCursorForLimitReturn, RestCursorPostForLimitReturnCont, RestCursorDelete),
 * and numbers beyond 2^53 kept exactly as the server sends them.
 */
import { readCollection, stringifyLossless } from '@arangops/backup';
import { createArangoConnection } from '@arangops/core';
import type { Database } from 'arangojs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget } from '../harness/arango-target.js';

let target: ArangoTarget;
let db: Database;
let close: () => void;
const DB = `backup_reader_${process.pid}`;

beforeAll(async () => {
  target = await arangoTarget({ mode: 'single', version: '3.12.10' });
  const connection = createArangoConnection(target.config());
  close = () => connection.close();
  await connection.database('_system').createDatabase(DB);
  db = connection.database(DB);
  const coll = await db.createCollection('docs');
  await coll.import([1, 2, 3, 4, 5].map((i) => ({ _key: `k${i}`, i })));
});
afterAll(async () => {
  await db
    .database('_system')
    .dropDatabase(DB)
    .catch(() => {});
  close();
  await target.stop();
});

describe('readCollection', () => {
  it('reads every document in batches through a streaming cursor', async () => {
    target.sim?.state.clearRequestLog();
    const batches: number[] = [];
    const keys: string[] = [];
    for await (const batch of readCollection(db, 'docs', { batchSize: 2 })) {
      batches.push(batch.length);
      keys.push(...batch.map((d) => d._key as string));
    }
    expect(batches).toEqual([2, 2, 1]);
    expect(keys.sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    if (target.sim) {
      const cursorCalls = target.sim.state.requestLog
        .filter((r) => r.path.startsWith('/_api/cursor'))
        .map((r) => `${r.method} ${r.path.replace(/\d+$/, ':id')} ${r.status}`);
      // As recorded: 201 on create, 200 on each next batch (POST, the 3.11+ form).
      expect(cursorCalls).toEqual([
        'POST /_api/cursor 201',
        'POST /_api/cursor/:id 200',
        'POST /_api/cursor/:id 200',
      ]);
    }
  });

  it('answers a stream cursor with the recorded body shape: result, hasMore, id while more, no count', async () => {
    const first = (await db.request({
      method: 'POST',
      pathname: '/_api/cursor',
      body: { query: 'FOR d IN docs RETURN d', batchSize: 2, options: { stream: true } },
    })) as Record<string, unknown>;
    expect(first).toMatchObject({
      hasMore: true,
      id: expect.any(String),
      result: expect.any(Array),
      error: false,
      code: 201,
    });
    expect(first).not.toHaveProperty('count');
    const next = (await db.request({ method: 'POST', pathname: `/_api/cursor/${first.id}` })) as Record<
      string,
      unknown
    >;
    expect(next).toMatchObject({ hasMore: true, result: expect.any(Array), code: 200 });
    await db.request({ method: 'DELETE', pathname: `/_api/cursor/${first.id}` });
  });

  it('frees the server-side cursor when the reader stops early', async () => {
    target.sim?.state.clearRequestLog();
    for await (const batch of readCollection(db, 'docs', { batchSize: 2 })) {
      expect(batch).toHaveLength(2);
      break;
    }
    if (target.sim) {
      expect(target.sim.state.requestLog.map((r) => `${r.method} ${r.status}`)).toContain('DELETE 202');
    }
  });

  it('keeps numbers as the server sends them, beyond 2^53 too', async () => {
    // Written as raw JSON text: a JavaScript number could not even hold it.
    await db.request({
      method: 'POST',
      pathname: '/_api/document/docs',
      body: '{"_key":"big","n":18446744073709551615,"f":0.1,"m":-9007199254740993}',
      isBinary: true,
      headers: { 'content-type': 'application/json' },
    });
    const raw = await (
      (await db.request({ pathname: '/_api/document/docs/big', expectBinary: true })) as Blob
    ).text();
    let line = '';
    for await (const batch of readCollection(db, 'docs')) {
      for (const d of batch) if (d._key === 'big') line = stringifyLossless(d);
    }
    const number = (text: string, key: string) => new RegExp(`"${key}":(-?[0-9.eE+]+)`).exec(text)?.[1];
    for (const key of ['n', 'f', 'm']) expect(number(line, key), key).toBe(number(raw, key));
    if (!target.sim) expect(number(line, 'n')).toMatch(/^18446744073709551615(\.0)?$/);
  });
});
