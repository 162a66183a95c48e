/** String functions. */
import { createHash } from 'node:crypto';
import { ERR } from '../errors.js';
import { toNumber, toStr, truthy } from '../evaluate/values.js';
import { type FunctionContext, type FunctionTable, invalidArg, VARIADIC } from './registry.js';

/** Compiled LIKE and regex patterns; cleared when full so varied patterns cannot grow them without bound. */
const likeCache = new Map<string, RegExp>();
const regexCache = new Map<string, RegExp>();
const PATTERN_CACHE_SIZE = 1000;

function remember(cache: Map<string, RegExp>, key: string, re: RegExp): RegExp {
  if (cache.size >= PATTERN_CACHE_SIZE) cache.clear();
  cache.set(key, re);
  return re;
}

/** AQL LIKE: `%` and `_` wildcards, backslash escapes, anchored at both ends. Patterns are compiled once. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  const cached = likeCache.get(cacheKey);
  if (cached) return cached;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i] as string);
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRe(c);
  }
  return remember(likeCache, cacheKey, new RegExp(`^${re}$`, caseInsensitive ? 'i' : ''));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function regexTest(
  ctx: FunctionContext,
  text: unknown,
  pattern: unknown,
  ci: unknown,
): boolean | null {
  const key = `${truthy(ci) ? 'i' : ''}/${toStr(pattern)}`;
  let re = regexCache.get(key);
  if (!re) {
    try {
      re = new RegExp(toStr(pattern), truthy(ci) ? 'i' : '');
    } catch {
      ctx.warn(ERR.invalidRegex, 'invalid regex value');
      return null;
    }
    remember(regexCache, key, re);
  }
  return re.test(toStr(text));
}

function concatParts(args: unknown[]): string[] {
  const parts: string[] = [];
  for (const a of args) {
    if (Array.isArray(a)) {
      for (const x of a) if (x !== null && x !== undefined) parts.push(toStr(x));
    } else if (a !== null && a !== undefined) parts.push(toStr(a));
  }
  return parts;
}

function hash(algorithm: string) {
  return { min: 1, max: 1, fn: ([v]: unknown[]) => createHash(algorithm).update(toStr(v)).digest('hex') };
}

function trimChars(s: string, chars: string, mode: 0 | 1 | 2): string {
  let a = 0;
  let b = s.length;
  if (mode !== 2) while (a < b && chars.includes(s[a] as string)) a++;
  if (mode !== 1) while (b > a && chars.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

const WHITESPACE = ' \t\r\n';

export const stringFunctions: FunctionTable = {
  CONCAT: { min: 1, max: VARIADIC, fn: (args) => concatParts(args).join('') },
  CONCAT_SEPARATOR: {
    min: 2,
    max: VARIADIC,
    fn: ([sep, ...rest]) => concatParts(rest).join(toStr(sep)),
  },
  LOWER: { min: 1, max: 1, fn: ([v]) => toStr(v).toLowerCase() },
  UPPER: { min: 1, max: 1, fn: ([v]) => toStr(v).toUpperCase() },
  SUBSTRING: {
    min: 2,
    max: 3,
    fn: ([v, offset, len]) => {
      const chars = [...toStr(v)];
      let o = Math.trunc(toNumber(offset));
      if (o < 0) o = Math.max(0, chars.length + o);
      const l = len === undefined || len === null ? chars.length : Math.trunc(toNumber(len));
      return chars.slice(o, l < 0 ? chars.length + l : o + l).join('');
    },
  },
  LEFT: { min: 2, max: 2, fn: ([v, n]) => [...toStr(v)].slice(0, toNumber(n)).join('') },
  RIGHT: {
    min: 2,
    max: 2,
    fn: ([v, n]) => {
      const chars = [...toStr(v)];
      return chars.slice(Math.max(0, chars.length - toNumber(n))).join('');
    },
  },
  CONTAINS: {
    min: 2,
    max: 3,
    fn: ([text, search, returnIndex]) => {
      const i = toStr(text).indexOf(toStr(search));
      return truthy(returnIndex) ? i : i >= 0;
    },
  },
  STARTS_WITH: { min: 2, max: 2, fn: ([text, prefix]) => toStr(text).startsWith(toStr(prefix)) },
  LIKE: {
    min: 2,
    max: 3,
    fn: ([text, pattern, ci]) => likeToRegExp(toStr(pattern), truthy(ci)).test(toStr(text)),
  },
  REGEX_TEST: { min: 2, max: 3, fn: ([text, pattern, ci], ctx) => regexTest(ctx, text, pattern, ci) },
  SPLIT: {
    min: 1,
    max: 3,
    fn: ([v, sep, limit], ctx) => {
      if (v === null || v === undefined) return [];
      const s = toStr(v);
      let parts: string[];
      if (sep === undefined || sep === null) parts = [s];
      else if (Array.isArray(sep)) {
        parts = s.split(new RegExp(sep.map((x) => escapeRe(toStr(x))).join('|')));
      } else if (typeof sep === 'string') parts = sep === '' ? [...s] : s.split(sep);
      else return invalidArg(ctx, 'SPLIT');
      return limit === undefined || limit === null ? parts : parts.slice(0, toNumber(limit));
    },
  },
  TRIM: {
    min: 1,
    max: 2,
    fn: ([v, how]) => {
      const s = toStr(v);
      if (typeof how === 'string') return trimChars(s, how, 0);
      const mode = toNumber(how) as 0 | 1 | 2;
      return trimChars(s, WHITESPACE, mode === 1 || mode === 2 ? mode : 0);
    },
  },
  LTRIM: {
    min: 1,
    max: 2,
    fn: ([v, chars]) => trimChars(toStr(v), chars === undefined ? WHITESPACE : toStr(chars), 1),
  },
  RTRIM: {
    min: 1,
    max: 2,
    fn: ([v, chars]) => trimChars(toStr(v), chars === undefined ? WHITESPACE : toStr(chars), 2),
  },
  CHAR_LENGTH: { min: 1, max: 1, fn: ([v]) => [...toStr(v)].length },
  FIND_FIRST: {
    min: 2,
    max: 4,
    fn: ([text, search, start, end]) => {
      const s = toStr(text);
      const from = start === undefined || start === null ? 0 : toNumber(start);
      const to = end === undefined || end === null ? s.length : toNumber(end) + 1;
      return s.slice(0, to).indexOf(toStr(search), from);
    },
  },
  SUBSTITUTE: {
    min: 2,
    max: 4,
    fn: ([v, search, replace, limit]) => {
      let s = toStr(v);
      const pairs: [string, string][] =
        typeof search === 'object' && search !== null && !Array.isArray(search)
          ? Object.entries(search).map(([k, r]) => [k, toStr(r)])
          : (Array.isArray(search) ? search : [search]).map((x, i) => [
              toStr(x),
              Array.isArray(replace) ? toStr(replace[i]) : replace === undefined ? '' : toStr(replace),
            ]);
      let remaining = limit === undefined || limit === null ? Number.POSITIVE_INFINITY : toNumber(limit);
      for (const [from, to] of pairs) {
        if (from === '') continue;
        let i = s.indexOf(from);
        while (i >= 0 && remaining > 0) {
          s = s.slice(0, i) + to + s.slice(i + from.length);
          remaining--;
          i = s.indexOf(from, i + to.length);
        }
      }
      return s;
    },
  },
  REGEX_REPLACE: {
    min: 3,
    max: 4,
    fn: ([text, pattern, replacement, ci], ctx) => {
      try {
        return toStr(text).replace(new RegExp(toStr(pattern), truthy(ci) ? 'gi' : 'g'), toStr(replacement));
      } catch {
        ctx.warn(ERR.invalidRegex, 'invalid regex value');
        return null;
      }
    },
  },
  SHA256: hash('sha256'),
  SHA1: hash('sha1'),
  MD5: hash('md5'),
};
