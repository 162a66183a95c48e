import { describe, expect, it } from 'vitest';
import { req, sim } from '../__tests__/sim-http.js';

describe('POST /_api/import', () => {
  it('takes type=array as another name for list (python-arango imports this way)', async () => {
    const s = await sim();
    await req(s, 'POST', '/_api/collection', { name: 'c' });
    const res = await req(s, 'POST', '/_api/import?collection=c&type=array', [{ _key: 'a' }, { _key: 'b' }]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ error: false, created: 2, errors: 0, empty: 0, updated: 0, ignored: 0 });
    expect(s.state.count('_system', 'c')).toBe(2);
  });

  it('treats an unknown type as the header-plus-values format, as the server dispatches', async () => {
    const s = await sim();
    await req(s, 'POST', '/_api/collection', { name: 'c' });
    const res = await req(s, 'POST', '/_api/import?collection=c&type=csv', '["_key","v"]\n["a",1]\n');
    expect(res.body).toMatchObject({ created: 1 });
  });

  it.each([
    ['["_key", 1]\n["a", 2]', 'a number in the header'],
    ['[]\n["a"]', 'an empty header'],
    ['{"_key":"a"}\n["a"]', 'an object header'],
    ['[_key]\n["a"]', 'a header that is no JSON'],
  ])('rejects %j (%s) instead of turning it into strings', async (body) => {
    const s = await sim();
    await req(s, 'POST', '/_api/collection', { name: 'c' });
    const res = await req(s, 'POST', '/_api/import?collection=c', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 400,
      error: true,
      errorMessage: 'no JSON string array found in first line',
      errorNum: 400,
    });
    expect(s.state.count('_system', 'c')).toBe(0);
  });

  it('reports value lines that are no array or have the wrong number of values', async () => {
    const s = await sim();
    await req(s, 'POST', '/_api/collection', { name: 'c' });
    const body = '["_key","v"]\n{"_key":"x"}\n["a"]\n["b",1]\n[oops\n';
    const res = await req(s, 'POST', '/_api/import?collection=c&details=true', body);
    expect(res.body).toEqual({
      error: false,
      created: 1,
      errors: 3,
      empty: 0,
      updated: 0,
      ignored: 0,
      details: [
        'at position 1: no valid JSON array data',
        'at position 2: wrong number of JSON values (got 1, expected 2)',
        'at position 4: invalid JSON type (expecting object, probably parse error), offending context: [oops',
      ],
    });
    const lenient = await req(
      s,
      'POST',
      '/_api/import?collection=c&ignoreMissing=true',
      '["_key","v"]\n["z"]',
    );
    expect(lenient.body).toMatchObject({ created: 1, errors: 0 });
  });
});
