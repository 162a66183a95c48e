import { describe, expect, it } from 'vitest';
import { SimError } from '../host.js';
import { executeQuery, parseQuery } from '../index.js';
import { TestHost } from '../test-host.js';

function setup() {
  const host = new TestHost();
  host.add('users', [
    { _key: 'a', name: 'Ann', age: 31, city: 'Oslo', tags: ['x', 'y'] },
    { _key: 'b', name: 'Bob', age: 25, city: 'Rome', tags: ['y'] },
    { _key: 'c', name: 'Cid', age: 40, city: 'Oslo', tags: [] },
    { _key: 'd', name: 'Dee', city: 'Rome' },
  ]);
  return host;
}

const run = (host: TestHost, q: string, bind: Record<string, unknown> = {}) =>
  executeQuery(host, q, bind).result;

function failure(fn: () => unknown): SimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SimError) return err;
    throw err;
  }
  throw new Error('expected a SimError');
}

describe('statements', () => {
  const host = setup();

  it('FOR over a collection, array and range; FILTER; RETURN', () => {
    expect(run(host, 'FOR u IN users FILTER u.age > 30 RETURN u.name')).toEqual(['Ann', 'Cid']);
    expect(run(host, 'FOR x IN [3, 1, 2] FILTER x != 1 RETURN x')).toEqual([3, 2]);
    expect(run(host, 'FOR i IN 3..1 RETURN i')).toEqual([3, 2, 1]);
  });

  it('missing attributes are null', () => {
    expect(run(host, 'FOR u IN users FILTER u._key == "d" RETURN [u.age, u.a.b.c, u.tags[0]]')).toEqual([
      [null, null, null],
    ]);
  });

  it('LET, SORT (multiple keys, DESC) and LIMIT applied after SORT', () => {
    expect(
      run(host, 'FOR u IN users SORT u.city DESC, u.name LIMIT 1, 2 LET n = LOWER(u.name) RETURN n'),
    ).toEqual(['dee', 'ann']);
  });

  it('RETURN DISTINCT', () => {
    expect(run(host, 'FOR u IN users RETURN DISTINCT u.city')).toEqual(['Oslo', 'Rome']);
    expect(run(host, 'FOR x IN [{a: 1}, {a: 1}, {a: 2}] RETURN DISTINCT x')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('nested FOR loops and subqueries', () => {
    expect(run(host, 'FOR a IN [1, 2] FOR b IN [10, 20] RETURN a + b')).toEqual([11, 21, 12, 22]);
    expect(
      run(
        host,
        'FOR c IN ["Oslo", "Rome"] LET n = (FOR u IN users FILTER u.city == c RETURN u._key) RETURN {c, n}',
      ),
    ).toEqual([
      { c: 'Oslo', n: ['a', 'c'] },
      { c: 'Rome', n: ['b', 'd'] },
    ]);
    expect(run(host, 'RETURN LENGTH((FOR i IN 1..10 LIMIT 3 RETURN i))')).toEqual([3]);
  });

  it('object literals: shorthand, computed keys, bind parameter keys', () => {
    expect(run(host, 'LET a = 1 RETURN {a, [CONCAT("k", 2)]: 2, @k: 3, "q": 4}', { k: 'bound' })).toEqual([
      { a: 1, k2: 2, bound: 3, q: 4 },
    ]);
  });

  it('array expansion [*] with inline FILTER and RETURN', () => {
    expect(run(host, 'RETURN [{a: {b: 1}}, {a: {b: 2}}][*].a.b')).toEqual([[1, 2]]);
    expect(run(host, 'RETURN [1, 2, 3, 4][* FILTER CURRENT % 2 == 0 RETURN CURRENT * 10]')).toEqual([
      [20, 40],
    ]);
    expect(run(host, 'RETURN [1, 2, 3, 4, 5, 6][* FILTER CURRENT > 1 LIMIT 1, 2 RETURN CURRENT]')).toEqual([
      [3, 4],
    ]);
    expect(run(host, 'RETURN [{a: 1}, {a: 2}, {a: 3}][* LIMIT 2].a')).toEqual([[1, 2]]);
  });

  it('bind parameters, including @@collection', () => {
    expect(run(host, 'FOR u IN @@c FILTER u.age >= @min RETURN u._key', { '@c': 'users', min: 31 })).toEqual([
      'a',
      'c',
    ]);
  });

  it('bind parameter errors', () => {
    const missing = failure(() => executeQuery(host, 'RETURN @x', {}));
    expect([missing.code, missing.errorNum, missing.message]).toEqual([
      400,
      1551,
      "no value specified for declared bind parameter 'x' (while parsing)",
    ]);
    const extra = failure(() => executeQuery(host, 'RETURN 1', { y: 1 }));
    expect([extra.errorNum, extra.message]).toEqual([
      1552,
      "bind parameter 'y' was not declared in the query (while parsing)",
    ]);
    const type = failure(() => executeQuery(host, 'FOR d IN @@c RETURN d', { '@c': 5 }));
    expect([type.errorNum, type.message]).toEqual([
      1553,
      "bind parameter '@c' has an invalid value or type (while parsing)",
    ]);
  });

  it('unknown collections are 1203, worded per version', () => {
    const e312 = failure(() => executeQuery(host, 'FOR u IN unknowncoll LIMIT 2 RETURN u', {}));
    expect([e312.code, e312.errorNum, e312.message]).toEqual([
      404,
      1203,
      'collection or view not found: unknowncoll',
    ]);
    const e311 = failure(() =>
      executeQuery(new TestHost('3.11.14'), 'FOR u IN unknowncoll LIMIT 2 RETURN u', {}),
    );
    expect(e311.message).toBe('AQL: collection or view not found: unknowncoll (while parsing)');
  });

  it('variables hidden by COLLECT fall back to collection names, like ArangoDB', () => {
    const err = failure(() => executeQuery(host, 'FOR u IN users COLLECT c = u.city RETURN u', {}));
    expect(err.errorNum).toBe(1203);
  });

  it('fullCount counts rows reaching the last LIMIT', () => {
    const r = executeQuery(
      host,
      'FOR i IN 1..1000 FILTER i > 500 LIMIT 10 RETURN i',
      {},
      { fullCount: true },
    );
    expect(r.result).toEqual([501, 502, 503, 504, 505, 506, 507, 508, 509, 510]);
    expect(r.fullCount).toBe(500);
    expect(r.stats.filtered).toBe(500);
  });

  it('counts scannedFull for collection scans and stops scanning at LIMIT', () => {
    expect(executeQuery(host, 'FOR u IN users RETURN 1', {}).stats.scannedFull).toBe(4);
    expect(executeQuery(host, 'FOR u IN users LIMIT 1 RETURN 1', {}).stats.scannedFull).toBe(1);
  });

  it('division by zero yields null and warning 1562', () => {
    const r = executeQuery(host, 'FOR i IN 1..2 RETURN i / 0', {});
    expect(r.result).toEqual([null, null]);
    expect(r.warnings[0]).toEqual({ code: 1562, message: 'division by zero' });
  });

  it('memoryLimit raises error 32 as HTTP 500', () => {
    const err = failure(() =>
      executeQuery(host, 'FOR i IN 1..100000 SORT i RETURN i', {}, { memoryLimit: 100000 }),
    );
    expect([err.code, err.errorNum]).toEqual([500, 32]);
    expect(err.message).toBe(
      'AQL: query would use more memory than allowed [node #3: EnumerateListNode] [node #4: SortNode] [node #4: SortNode] [node #5: ReturnNode] (while executing)',
    );
    const old = failure(() =>
      executeQuery(
        new TestHost('3.11.14'),
        'FOR i IN 1..100000 SORT i RETURN i',
        {},
        { memoryLimit: 100000 },
      ),
    );
    expect(old.message).toBe('AQL: query would use more memory than allowed (while executing)');
  });

  it('collections are FOR sources or LENGTH/COUNT arguments; elsewhere 1568', () => {
    expect(run(host, 'RETURN [LENGTH(users), COUNT(@@c)]', { '@c': 'users' })).toEqual([[4, 4]]);
    const err = failure(() => executeQuery(host, 'RETURN users', {}));
    expect([err.code, err.errorNum, err.message]).toEqual([
      400,
      1568,
      "AQL: collection 'users' used as expression operand (while parsing)",
    ]);
    expect(failure(() => executeQuery(host, 'RETURN FIRST(@@c)', { '@c': 'users' })).errorNum).toBe(1568);
    expect(
      failure(() => executeQuery(host, 'FOR x IN [1] RETURN (FOR y IN [users] RETURN y)', {})).errorNum,
    ).toBe(1568);
  });

  it('AGGREGATE accepts only aggregate function calls of one argument (1574), as grammar.y checks them', () => {
    const err = failure(() => parseQuery('FOR u IN users COLLECT AGGREGATE x = CONCAT(u.name) RETURN x'));
    expect([err.errorNum, err.message]).toEqual([
      1574,
      "unknown aggregate function used near 'RETURN x' at position 1:53",
    ]);
    expect(
      failure(() => parseQuery('FOR u IN users COLLECT AGGREGATE x = SUM(u.a, 1) RETURN x')).errorNum,
    ).toBe(1574);
    expect(failure(() => parseQuery('FOR u IN users COLLECT AGGREGATE x = u.age RETURN x')).errorNum).toBe(
      1501,
    );
  });

  it('FOR over a non-array fails with 1563', () => {
    const err = failure(() => executeQuery(host, 'FOR x IN {foo: "bar"} RETURN x', {}));
    expect([err.errorNum, err.message]).toEqual([
      1563,
      'AQL: collection or array expected as operand to FOR loop; you specified type \'object\' with content \'{"foo":"bar"}\' [node #3: EnumerateListNode] (while executing)',
    ]);
  });
});

describe('type ordering', () => {
  const host = new TestHost();
  it('sorts null < bool < number < string < array < object', () => {
    expect(
      run(host, 'FOR x IN [{}, [], "a", 1, true, null, false, -1, "B", [0], {a: 1}] SORT x RETURN x'),
    ).toEqual([null, false, true, -1, 1, 'B', 'a', [], [0], {}, { a: 1 }]);
  });

  it.each([
    ['null < false', true],
    ['true < 0', true],
    ['99 < "1"', true],
    ['"z" < []', true],
    ['[] < {}', true],
    ['[1, 2] < [1, 3]', true],
    ['[1] == [1, null]', true],
    ['{a: 1, b: 2} == {b: 2, a: 1}', true],
    ['1 == "1"', false],
    ['null == false', false],
    ['"abc" LIKE "a%"', true],
    ['"abc" NOT LIKE "_b"', true],
    ['"abc" =~ "^a.c$"', true],
    ['"abc" !~ "z"', true],
    ['2 NOT IN [1, 3]', true],
    ['"1" + 1', 2],
    ['"x" * 2', 0],
    ['null + 1', 1],
    ['[3] - 1', 2],
    ['-"2"', -2],
    ['!0', true],
    ['!""', true],
    ['![]', false],
    ['1 && 0', 0],
    ['null || "d"', 'd'],
    ['7 % 4', 3],
  ])('%s', (expr, expected) => {
    expect(run(host, `RETURN ${expr}`)).toEqual([expected]);
  });
});

describe('COLLECT', () => {
  const host = setup();
  it('groups sorted by key, WITH COUNT INTO', () => {
    expect(run(host, 'FOR u IN users COLLECT city = u.city WITH COUNT INTO n RETURN {city, n}')).toEqual([
      { city: 'Oslo', n: 2 },
      { city: 'Rome', n: 2 },
    ]);
  });
  it('COLLECT WITH COUNT INTO without groups, also over empty input', () => {
    expect(run(host, 'FOR u IN users COLLECT WITH COUNT INTO n RETURN n')).toEqual([4]);
    expect(run(host, 'FOR u IN users FILTER false COLLECT WITH COUNT INTO n RETURN n')).toEqual([0]);
  });
  it('AGGREGATE', () => {
    expect(
      run(
        host,
        'FOR u IN users COLLECT city = u.city AGGREGATE n = COUNT(1), s = SUM(u.age), lo = MIN(u.age), hi = MAX(u.age), avg = AVG(u.age), names = UNIQUE(u.name) RETURN {city, n, s, lo, hi, avg, names}',
      ),
    ).toEqual([
      { city: 'Oslo', n: 2, s: 71, lo: 31, hi: 40, avg: 35.5, names: ['Ann', 'Cid'] },
      { city: 'Rome', n: 2, s: 25, lo: 25, hi: 25, avg: 25, names: ['Bob', 'Dee'] },
    ]);
    expect(run(host, 'FOR u IN users COLLECT AGGREGATE total = SUM(u.age) RETURN total')).toEqual([96]);
    expect(
      run(
        host,
        'FOR u IN users COLLECT AGGREGATE l = LENGTH(u), p = PUSH(u.age), su = SORTED_UNIQUE(u.city), cd = COUNT_DISTINCT(u.city), a = AVERAGE(u.nope), m = MIN(u.nope) RETURN {l, p, su, cd, a, m}',
      ),
    ).toEqual([{ l: 4, p: [31, 25, 40, null], su: ['Oslo', 'Rome'], cd: 2, a: null, m: null }]);
    expect(
      run(host, 'FOR u IN users FILTER false COLLECT AGGREGATE s = SUM(u.age), n = COUNT(u) RETURN [s, n]'),
    ).toEqual([[0, 0]]);
  });
  it('INTO variants', () => {
    expect(run(host, 'FOR u IN users COLLECT c = u.city INTO g RETURN {c, k: g[*].u._key}')).toEqual([
      { c: 'Oslo', k: ['a', 'c'] },
      { c: 'Rome', k: ['b', 'd'] },
    ]);
    expect(run(host, 'FOR u IN users COLLECT c = u.city INTO names = u.name RETURN names')).toEqual([
      ['Ann', 'Cid'],
      ['Bob', 'Dee'],
    ]);
    expect(run(host, 'FOR u IN users LET k = u._key COLLECT c = u.city INTO g KEEP k RETURN g')).toEqual([
      [{ k: 'a' }, { k: 'c' }],
      [{ k: 'b' }, { k: 'd' }],
    ]);
  });
  it('multiple group keys and composite values', () => {
    expect(
      run(
        host,
        'FOR x IN [[1, "a"], [1, "b"], [1, "a"]] COLLECT p = x[0], q = x[1] WITH COUNT INTO n RETURN [p, q, n]',
      ),
    ).toEqual([
      [1, 'a', 2],
      [1, 'b', 1],
    ]);
    expect(run(host, 'FOR x IN [{a: 1}, {a: 1}] COLLECT o = x WITH COUNT INTO n RETURN [o, n]')).toEqual([
      [{ a: 1 }, 2],
    ]);
  });
  it('keeps outer variables inside subqueries', () => {
    expect(
      run(host, 'FOR k IN [1] LET s = (FOR u IN users COLLECT c = u.city RETURN [k, c]) RETURN s'),
    ).toEqual([
      [
        [1, 'Oslo'],
        [1, 'Rome'],
      ],
    ]);
  });
});
