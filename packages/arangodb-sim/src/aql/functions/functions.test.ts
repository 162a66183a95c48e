import { describe, expect, it } from 'vitest';
import { executeQuery } from '../index.js';
import { TestHost } from '../test-host.js';

const host = new TestHost();
host.add('users', [
  { _key: 'a', n: 1 },
  { _key: 'b', n: 2 },
]);
const value = (expr: string) => executeQuery(host, `RETURN ${expr}`, {}).result[0];

describe('functions', () => {
  it.each<[string, unknown]>([
    ['LENGTH([1, 2, 3])', 3],
    ['LENGTH("héllo")', 5],
    ['LENGTH({a: 1})', 1],
    ['LENGTH(null)', 0],
    ['COUNT([1])', 1],
    ['SUM([1, 2, null, 3])', 6],
    ['AVG([1, 2, 3, null])', 2],
    ['AVERAGE([])', null],
    ['MIN([3, null, 1])', 1],
    ['MAX(["a", "b"])', 'b'],
    ['UNIQUE([1, 1, "1", [1], [1]])', [1, '1', [1]]],
    ['SORTED_UNIQUE([3, 1, 3, 2])', [1, 2, 3]],
    ['COUNT_DISTINCT([1, 1, 2])', 2],
    ['FIRST([4, 5])', 4],
    ['LAST([4, 5])', 5],
    ['FIRST([])', null],
    ['NTH([4, 5], 1)', 5],
    ['PUSH([1], 2)', [1, 2]],
    ['PUSH([1], 1, true)', [1]],
    ['APPEND([1], [2, 3])', [1, 2, 3]],
    ['APPEND([1, 2], [2, 3], true)', [1, 2, 3]],
    ['FLATTEN([1, [2, [3]]])', [1, 2, [3]]],
    ['FLATTEN([1, [2, [3]]], 2)', [1, 2, 3]],
    ['REVERSE([1, 2])', [2, 1]],
    ['REVERSE("abc")', 'cba'],
    ['SLICE([1, 2, 3, 4], 1, 2)', [2, 3]],
    ['SLICE([1, 2, 3, 4], -2)', [3, 4]],
    ['POSITION([1, 2], 2)', true],
    ['POSITION([1, 2], 2, true)', 1],
    ['RANGE(1, 7, 3)', [1, 4, 7]],
    ['ZIP(["a", "b"], [1, 2])', { a: 1, b: 2 }],
    ['HAS({a: null}, "a")', true],
    ['HAS({}, "a")', false],
    ['KEYS({b: 1, a: 2}, false, true)', ['a', 'b']],
    ['ATTRIBUTES({_key: 1, a: 2}, true)', ['a']],
    ['VALUES({a: 1, _id: 2}, true)', [1]],
    ['MERGE({a: 1}, {b: 2}, {a: 3})', { a: 3, b: 2 }],
    ['MERGE([{a: 1}, {b: 2}])', { a: 1, b: 2 }],
    ['UNSET({a: 1, b: 2, c: 3}, "a", ["b"])', { c: 3 }],
    ['KEEP({a: 1, b: 2}, "a")', { a: 1 }],
    ['IS_NULL(null)', true],
    ['IS_BOOL(false)', true],
    ['IS_NUMBER("1")', false],
    ['IS_STRING("1")', true],
    ['IS_ARRAY([])', true],
    ['IS_OBJECT([])', false],
    ['IS_DATESTRING("2024-01-02T03:04:05Z")', true],
    ['IS_DATESTRING("yesterday")', false],
    ['TO_NUMBER(" 12 ")', 12],
    ['TO_NUMBER("x")', 0],
    ['TO_NUMBER(true)', 1],
    ['TO_STRING(12)', '12'],
    ['TO_STRING([1])', '[1]'],
    ['TO_BOOL("")', false],
    ['TO_ARRAY({a: 1})', [1]],
    ['TO_ARRAY(null)', []],
    ['NOT_NULL(null, 2, 3)', 2],
    ['CONCAT("a", null, 1, ["b", "c"])', 'a1bc'],
    ['CONCAT_SEPARATOR(", ", "a", ["b"], null)', 'a, b'],
    ['LOWER("AbC")', 'abc'],
    ['UPPER("abc")', 'ABC'],
    ['SUBSTRING("hello", 1, 3)', 'ell'],
    ['SUBSTRING("hello", -3)', 'llo'],
    ['CONTAINS("hello", "ll")', true],
    ['CONTAINS("hello", "ll", true)', 2],
    ['LIKE("Hello", "h%", true)', true],
    ['LIKE("a_c", "a\\\\_c")', true],
    ['REGEX_TEST("abc", "B", true)', true],
    ['SPLIT("a,b,c", ",")', ['a', 'b', 'c']],
    ['SPLIT("a,b,c", ",", 2)', ['a', 'b']],
    ['TRIM("  x  ")', 'x'],
    ['TRIM("--x--", "-")', 'x'],
    ['ROUND(2.5)', 3],
    ['ROUND(-2.5)', -3],
    ['FLOOR(-1.5)', -2],
    ['CEIL(1.1)', 2],
    ['ABS(-3)', 3],
    ['SQRT(9)', 3],
    ['SQRT(-1)', null],
    ['POW(2, 10)', 1024],
    ['MD5("abc")', '900150983cd24fb0d6963f7d28e17f72'],
    ['SHA256("abc")', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['DATE_NOW()', Date.UTC(2024, 0, 15, 12, 0, 0)],
    ['DATE_ISO8601(0)', '1970-01-01T00:00:00.000Z'],
    ['DATE_ISO8601(2024, 2, 29)', '2024-02-29T00:00:00.000Z'],
    ['DATE_TIMESTAMP("1970-01-01T00:00:01Z")', 1000],
    ['DATE_DIFF("2024-01-01T00:00:00Z", "2024-01-08T12:00:00Z", "d")', 7],
    ['DATE_DIFF("2024-01-01T00:00:00Z", "2024-01-08T12:00:00Z", "d", true)', 7.5],
    ['DATE_DIFF("2024-01-01T00:00:00Z", "2024-01-01T00:05:00Z", "i")', 5],
    ['DATE_DIFF("2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", "m")', 2],
    ['DATE_DIFF("2024-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "y")', 2],
    ['DATE_DIFF(0, 1500, "s", true)', 1.5],
    ['DATE_DIFF(0, 1500, "f")', 1500],
    ['DATE_DIFF(0, 604800000, "w")', 1],
    ['DATE_DIFF(0, 7200000, "h")', 2],
    ['DATE_ADD("2024-01-31T00:00:00Z", 1, "day")', '2024-02-01T00:00:00.000Z'],
    ['DATE_ADD("2024-01-01T00:00:00Z", "PT5M")', '2024-01-01T00:05:00.000Z'],
    ['DATE_ADD("2024-01-01T00:00:00Z", "P1Y2M")', '2025-03-01T00:00:00.000Z'],
    ['DATE_SUBTRACT("2024-01-01T00:00:00Z", 2, "h")', '2023-12-31T22:00:00.000Z'],
    ['DATE_SUBTRACT("2024-01-01T00:00:00Z", "P1W")', '2023-12-25T00:00:00.000Z'],
    ['DOCUMENT("users/a").n', 1],
    ['DOCUMENT("users", "b").n', 2],
    ['DOCUMENT(["users/a", "users/zz", "users/b"])[*]._key', ['a', 'b']],
    ['DOCUMENT("users/zz")', null],
    ['PARSE_IDENTIFIER("users/a")', { collection: 'users', key: 'a' }],
    ['DATE_YEAR("2024-03-05T06:07:08.009Z")', 2024],
    ['DATE_MONTH("2024-03-05T06:07:08.009Z")', 3],
    ['DATE_DAY("2024-03-05T06:07:08.009Z")', 5],
    ['DATE_HOUR("2024-03-05T06:07:08.009Z")', 6],
    ['DATE_MINUTE("2024-03-05T06:07:08.009Z")', 7],
    ['DATE_SECOND("2024-03-05T06:07:08.009Z")', 8],
    ['DATE_MILLISECOND("2024-03-05T06:07:08.009Z")', 9],
    ['DATE_DAYOFWEEK("2024-03-05")', 2],
    ['CHAR_LENGTH("héllo")', 5],
    ['FIND_FIRST("foobarbaz", "ba")', 3],
    ['FIND_FIRST("foobarbaz", "ba", 4)', 6],
    ['FIND_FIRST("foobarbaz", "ba", 0, 3)', -1],
    ['SUBSTITUTE("the quick fox", "quick", "slow")', 'the slow fox'],
    ['SUBSTITUTE("aaa", "a", "b", 2)', 'bba'],
    ['SUBSTITUTE("ab", {a: "1", b: "2"})', '12'],
    ['REGEX_REPLACE("a1b22", "[0-9]+", "#")', 'a#b#'],
    ['JSON_STRINGIFY({a: [1]})', '{"a":[1]}'],
    ['JSON_PARSE("[1, 2]")', [1, 2]],
    ['NOOPT(3)', 3],
    ['SLEEP(0.5)', null],
  ])('%s', (expr, expected) => {
    expect(value(expr)).toEqual(expected);
  });

  it('SLEEP adds to executionTime instead of blocking', () => {
    const r = executeQuery(host, 'LET s = SLEEP(0.25) LET t = SLEEP(0.5) RETURN 1', {});
    expect(r.result).toEqual([1]);
    expect(r.stats.executionTime).toBeGreaterThanOrEqual(0.75);
  });

  it("SLEEP moves the query's own clock on, as DATE_NOW() sees it", () => {
    const r = executeQuery(host, 'LET a = DATE_NOW() LET s = SLEEP(0.25) RETURN DATE_NOW() - a', {});
    expect(r.result[0]).toBeGreaterThanOrEqual(250);
  });

  it('answers bad argument types with null and warning 1542', () => {
    const r = executeQuery(host, 'RETURN SUM("x")', {});
    expect(r.result).toEqual([null]);
    expect(r.warnings).toEqual([
      { code: 1542, message: "invalid argument type in call to function 'SUM()'" },
    ]);
  });
});
