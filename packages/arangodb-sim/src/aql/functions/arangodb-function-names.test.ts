import { describe, expect, it } from 'vitest';
import { SimError } from '../host.js';
import { executeQuery } from '../index.js';
import { TestHost } from '../test-host.js';
import { ARANGODB_FUNCTION_NAMES } from './arangodb-function-names.js';
import { implementedFunctionNames } from './index.js';

const host = new TestHost();

function failure(query: string): { code: number; errorNum: number; message: string } {
  try {
    executeQuery(host, query, {});
  } catch (err) {
    if (!(err instanceof SimError)) throw err;
    return { code: err.code, errorNum: err.errorNum, message: err.message };
  }
  throw new Error(`query did not fail: ${query}`);
}

describe('function calls by kind of name', () => {
  it.each([
    ['implemented', 'RETURN LENGTH([1, 2])'],
    ['implemented, lower case', 'RETURN length([1, 2])'],
  ])('%s: runs', (_kind, query) => {
    expect(executeQuery(host, query, {}).result).toEqual([2]);
  });

  it.each([
    ['LEVENSHTEIN_DISTANCE', 'RETURN LEVENSHTEIN_DISTANCE("a", "b")'],
    ['GEO_DISTANCE', 'RETURN GEO_DISTANCE([0, 0], [1, 1])'],
    ['TOKENS', 'RETURN tokens("a b", "text_en")'],
    ['APPROX_NEAR_COSINE', 'RETURN APPROX_NEAR_COSINE([1], [1])'],
    ['PREGEL_RESULT', 'RETURN PREGEL_RESULT("1")'],
    ['REPEAT', 'RETURN REPEAT("a", 2)'],
  ])('real ArangoDB function the simulator lacks (%s): names it as unsupported', (name, query) => {
    expect(failure(query)).toEqual({
      code: 400,
      errorNum: 1501,
      message: `AQL: syntax error, function ${name}() is not supported by arangodb-sim (while parsing)`,
    });
  });

  it.each([
    ['FOO', 'RETURN FOO(1)'],
    ['LEVENSHTEIN', 'RETURN levenshtein("a", "b")'],
    ['MAKE_DISTRIBUTE_INPUT', 'RETURN MAKE_DISTRIBUTE_INPUT({}, {})'],
    ['MYNS::FN', 'RETURN myns::fn(1)'],
  ])('not an ArangoDB function (%s): the server error 1540, unchanged', (name, query) => {
    expect(failure(query)).toEqual({
      code: 400,
      errorNum: 1540,
      message: `AQL: usage of unknown function '${name}()' (while parsing)`,
    });
  });
});

describe('ARANGODB_FUNCTION_NAMES', () => {
  it('holds every function the simulator implements; the simulator has no helpers of its own', () => {
    const simulatorOnly: string[] = [];
    const missing = implementedFunctionNames().filter((n) => !ARANGODB_FUNCTION_NAMES.has(n));
    expect(missing).toEqual(simulatorOnly);
  });

  it('spells names as the registry does: upper case, no namespace', () => {
    for (const name of ARANGODB_FUNCTION_NAMES) expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });
});
