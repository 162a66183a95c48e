import { describe, expect, it } from 'vitest';
import { SimError } from './host.js';
import { executeQuery, parseQuery } from './index.js';
import { TestHost } from './test-host.js';

function parseError(query: string): SimError {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof SimError) return err;
    throw err;
  }
  throw new Error(`expected ${query} to fail`);
}

describe('parser errors', () => {
  it.each([
    [
      'FOR i IN 1..100 FILTER i = 1 LIMIT 2 RETURN i * 3',
      "syntax error, unexpected assignment near '= 1 LIMIT 2 RETURN i * 3' at position 1:26",
    ],
    ['FOR i IN 1..3', "syntax error, unexpected end of query string near '' at position 1:14"],
    [
      'RETURN 1 FILTER true',
      "syntax error, unexpected FILTER declaration near 'FILTER true' at position 1:10",
    ],
    ['FOR x IN 1..3\n  RETURN x +', "syntax error, unexpected end of query string near '' at position 2:13"],
    ['FOR x IN 1..3\r\nRETURN x =', "syntax error, unexpected assignment near '=' at position 2:10"],
    [
      'RETURN 1 = 012345678901234567890123456789',
      "syntax error, unexpected assignment near '= 012345678901234567890123456789' at position 1:10",
    ],
    [
      'RETURN 1 = 0123456789012345678901234567890',
      "syntax error, unexpected assignment near '= 012345678901234567890123456789...' at position 1:10",
    ],
    [
      'FOR x IN [1] RETURN x ) AND this is a long trailing text beyond thirty-two chars',
      "syntax error, unexpected ) near ') AND this is a long trailing te...' at position 1:23",
    ],
  ])('%s', (query, message) => {
    const err = parseError(query);
    expect(err.errorNum).toBe(1501);
    expect(err.code).toBe(400);
    expect(err.message).toBe(message);
  });

  it('rejects a variable declared twice (1511)', () => {
    const err = parseError('LET a = 1 LET a = 2 RETURN a');
    expect([err.errorNum, err.message]).toEqual([1511, "variable 'a' is assigned multiple times"]);
  });

  it('reports an empty query as 1502', () => {
    for (const q of ['', '   ', '/* nothing */ // here']) {
      const err = parseError(q);
      expect([err.code, err.errorNum, err.message]).toEqual([400, 1502, 'query is empty']);
    }
  });

  it('rejects unknown functions (1540) and wrong arity (1541)', () => {
    expect(parseError('RETURN FOO(1)').message).toBe("usage of unknown function 'FOO()'");
    expect(parseError('RETURN FOO(1)').errorNum).toBe(1540);
    const arity = parseError('RETURN LENGTH(1, 2)');
    expect(arity.errorNum).toBe(1541);
    expect(arity.message).toBe(
      "invalid number of arguments for function 'LENGTH()', expected number of arguments: minimum: 1, maximum: 1",
    );
  });

  it.each(['SEARCH', 'WINDOW', 'PRUNE', 'SHORTEST_PATH'])('fails cleanly on unsupported %s', (construct) => {
    const queries: Record<string, string> = {
      SEARCH: 'FOR d IN v SEARCH d.x == 1 RETURN d',
      WINDOW: 'FOR d IN c WINDOW { preceding: 1 } AGGREGATE s = SUM(d.x) RETURN s',
      PRUNE: "FOR v IN 1..2 OUTBOUND 'a/b' e PRUNE v.x == 1 RETURN v",
      SHORTEST_PATH: "FOR v IN OUTBOUND SHORTEST_PATH 'a/1' TO 'a/2' e RETURN v",
    };
    const err = parseError(queries[construct] as string);
    expect(err.errorNum).toBe(1501);
    expect(err.message).toContain(`${construct} is not supported by arangodb-sim`);
  });
});

describe('parser', () => {
  it('produces the recorded AST for /_api/query', () => {
    const r = parseQuery('FOR i IN 1..100 FILTER i > 10 LIMIT 2 RETURN i * 3');
    expect(r.collections).toEqual([]);
    expect(r.bindVars).toEqual([]);
    expect(r.ast).toEqual([
      {
        type: 'root',
        subNodes: [
          {
            type: 'for',
            subNodes: [
              { type: 'variable', name: 'i', id: 0 },
              {
                type: 'range',
                subNodes: [
                  { type: 'value', value: 1 },
                  { type: 'value', value: 100 },
                ],
              },
              { type: 'no-op' },
            ],
          },
          {
            type: 'filter',
            subNodes: [
              {
                type: 'compare >',
                subNodes: [
                  { type: 'reference', name: 'i', id: 0, subqueryReference: false },
                  { type: 'value', value: 10 },
                ],
              },
            ],
          },
          {
            type: 'limit',
            subNodes: [
              { type: 'value', value: 0 },
              { type: 'value', value: 2 },
            ],
          },
          {
            type: 'return',
            subNodes: [
              {
                type: 'times',
                subNodes: [
                  { type: 'reference', name: 'i', id: 0, subqueryReference: false },
                  { type: 'value', value: 3 },
                ],
              },
            ],
          },
        ],
      },
    ]);
  });

  it('reports grammar-action errors with their text and position', () => {
    const cases: [string, number, string][] = [
      [
        'FOR a, b IN [1] RETURN a',
        1501,
        "Collections and views FOR loops only allow a single return variable near 'FOR a, b IN [1] RETURN a' at position 1:1",
      ],
      [
        'RETURN DISTINCT 1',
        1501,
        "cannot use DISTINCT modifier on top-level query element near '1' at position 1:17",
      ],
      ['RETURN {nope}', 1512, "use of unknown variable 'nope' in object literal near '}' at position 1:13"],
      [
        'FOR x IN [1] COLLECT y = x INTO g KEEP nope RETURN g',
        1501,
        "use of unknown variable 'nope' for KEEP near 'RETURN g' at position 1:45",
      ],
    ];
    for (const [query, errorNum, message] of cases) {
      const err = parseError(query);
      expect([err.errorNum, err.message]).toEqual([errorNum, message]);
    }
  });

  it('accepts LET lists, INTO for every write, GRAPH names and bare subqueries as arguments', () => {
    const host = new TestHost();
    host.add('c');
    expect(executeQuery(host, 'LET a = 1, b = a + 1 RETURN [a, b]', {}).result).toEqual([[1, 2]]);
    // SEARCH and PRUNE are plain identifiers outside their clauses.
    expect(executeQuery(host, 'LET search = 1, prune = 2 RETURN search + prune', {}).result).toEqual([3]);
    expect(executeQuery(host, 'RETURN LENGTH(FOR i IN 1..4 RETURN i)', {}).result).toEqual([4]);
    executeQuery(host, 'INSERT {_key: "k"} INTO c', {});
    executeQuery(host, 'UPDATE "k" WITH {x: 1} INTO c', {});
    expect(executeQuery(host, 'REMOVE "k" INTO c RETURN OLD.x', {}).result).toEqual([1]);
    const parsed = parseQuery("FOR v IN OUTBOUND 'a/b' GRAPH social RETURN v");
    expect(parsed.collections).toEqual([]);
    expect(parseQuery('RETURN -2').ast).toEqual([
      { type: 'root', subNodes: [{ type: 'return', subNodes: [{ type: 'value', value: -2 }] }] },
    ]);
  });

  it('lists collections and bind parameters in order of use', () => {
    const r = parseQuery(
      'WITH users FOR d IN @@coll FILTER d.x == @x FOR u IN users INSERT {} INTO logs RETURN u',
    );
    expect(r.collections).toEqual(['users', 'logs']);
    expect(r.bindVars).toEqual(['@coll', 'x']);
  });

  it('treats keywords case-insensitively and keeps attribute names that are keywords', () => {
    const host = new TestHost();
    const r = executeQuery(
      host,
      'for x in [{`for`: 1, filter: 2}] filter x.filter == 2 sort x.for desc return x.for',
      {},
    );
    expect(r.result).toEqual([1]);
    expect(executeQuery(host, 'ReTuRn NoT tRuE', {}).result).toEqual([false]);
  });

  it('parses comments, numbers and strings', () => {
    const host = new TestHost();
    const q = `/* block
      comment */ RETURN [0x1F, 0b101, 1.5e2, .5, 'it\\'s', "tab\\t", // line
      -2 ]`;
    expect(executeQuery(host, q, {}).result).toEqual([[31, 5, 150, 0.5, "it's", 'tab\t', -2]]);
  });

  it('applies AQL operator precedence', () => {
    const host = new TestHost();
    const r = executeQuery(
      host,
      'RETURN [1 + 2 * 3, (1 + 2) * 3, 1 < 2 == true, true || false && false, 1 IN [1] == true, 2..4, 1 ? 2 : 3, 0 ?: 7, null ? 1 : 2]',
      {},
    );
    expect(r.result).toEqual([[7, 9, true, true, true, [2, 3, 4], 2, 7, 2]]);
  });
});
