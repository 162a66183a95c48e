import { aql, Database } from 'arangojs';
import { describe, expect, it } from 'vitest';
import { req, sim } from '../__tests__/sim-http.js';

async function withDocs(n: number) {
  const s = await sim();
  await req(s, 'POST', '/_api/collection', { name: 'docs' });
  const docs = Array.from({ length: n }, (_, i) => ({ _key: `k${i}`, i }));
  await req(s, 'POST', '/_api/import?collection=docs&type=list', docs);
  return s;
}

describe('streaming cursors (options.stream)', () => {
  it('answer without count, evaluate batch by batch and report extra with the last batch only', async () => {
    const s = await withDocs(5000);
    const first = await req(s, 'POST', '/_api/cursor', {
      query: 'FOR d IN docs RETURN d.i',
      count: true,
      batchSize: 2000,
      options: { stream: true },
    });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body)).toEqual([
      'result',
      'hasMore',
      'id',
      'cached',
      'nextBatchId',
      'error',
      'code',
    ]);
    expect(first.body.result).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    // While the client reads, the query is running, as on a server.
    const current = (await req(s, 'GET', '/_api/query/current')).body as unknown as Record<string, unknown>[];
    expect(current).toMatchObject([{ query: 'FOR d IN docs RETURN d.i', stream: true, state: 'executing' }]);
    const id = first.body.id as string;
    const second = await req(s, 'POST', `/_api/cursor/${id}`);
    expect(second.body).not.toHaveProperty('extra');
    const last = await req(s, 'POST', `/_api/cursor/${id}`);
    expect(last.body).toMatchObject({ hasMore: false, error: false, code: 200 });
    expect(last.body).not.toHaveProperty('count');
    expect((last.body.extra as { stats: Record<string, number> }).stats.scannedFull).toBe(5000);
    expect([...(second.body.result as number[]), ...(last.body.result as number[])]).toHaveLength(3000);
    expect((await req(s, 'GET', '/_api/query/current')).body).toEqual([]);
  });

  it('non-streaming cursors still count and carry extra in every batch', async () => {
    const s = await withDocs(30);
    const first = await req(s, 'POST', '/_api/cursor', {
      query: 'FOR d IN docs RETURN d',
      count: true,
      batchSize: 10,
    });
    expect(first.body).toMatchObject({ count: 30, hasMore: true });
    expect(first.body).toHaveProperty('extra');
    expect((await req(s, 'GET', '/_api/query/current')).body).toEqual([]);
  });

  it('a killed streaming query fails its next batch with 1500', async () => {
    const s = await withDocs(100);
    const first = await req(s, 'POST', '/_api/cursor', {
      query: 'FOR d IN docs RETURN d',
      batchSize: 10,
      options: { stream: true },
    });
    const [running] = (await req(s, 'GET', '/_api/query/current')).body as unknown as { id: string }[];
    await req(s, 'DELETE', `/_api/query/${running?.id}`);
    const next = await req(s, 'POST', `/_api/cursor/${first.body.id}`);
    expect(next.status).toBe(410);
    expect(next.body).toMatchObject({ errorNum: 1500, errorMessage: 'query killed' });
    expect((await req(s, 'POST', `/_api/cursor/${first.body.id}`)).body).toMatchObject({ errorNum: 1600 });
  });

  it('reads a collection through arangojs as the backup does', async () => {
    const s = await withDocs(12_345);
    const db = new Database({ url: s.url });
    const cursor = await db.query(aql`FOR d IN docs RETURN d`, {
      stream: true,
      batchSize: 1000,
      count: true,
    });
    expect(cursor.count).toBeUndefined();
    let n = 0;
    for await (const batch of cursor.batches) n += batch.length;
    expect(n).toBe(12_345);
  });
});
