import { describe, expect, it } from 'vitest';
import { req, sim } from './__tests__/sim-http.js';

describe('request log', () => {
  it('keeps the query string of every request, raw and without the database prefix in the path', async () => {
    const s = await sim();
    await req(s, 'POST', '/_api/collection', { name: 'c' });
    await req(s, 'POST', '/_db/_system/_api/import?collection=c&type=list&details=true', [{}]);
    await req(s, 'GET', '/_api/version');
    expect(s.state.requestLog.slice(-2)).toEqual([
      {
        method: 'POST',
        path: '/_api/import',
        query: 'collection=c&type=list&details=true',
        database: '_system',
        status: 201,
      },
      { method: 'GET', path: '/_api/version', query: '', database: '_system', status: 200 },
    ]);
  });
});
