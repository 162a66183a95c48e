/** AQL tokenizer: turns the query text into tokens that carry their source position. */
import type { Pos } from './ast.js';
import { emptyQuery, syntaxError } from './errors.js';

export type TokenType =
  | 'keyword'
  | 'ident'
  | 'string'
  | 'int'
  | 'double'
  | 'param'
  | 'dsparam'
  | 'op'
  | 'eof';

export interface Token extends Pos {
  type: TokenType;
  /** Keywords are upper-cased; identifiers, strings and parameter names are unescaped. */
  value: string;
  /** true for `quoted` identifiers, which never act as keywords. */
  quoted?: boolean;
}

const KEYWORDS = new Set([
  'FOR',
  'RETURN',
  'FILTER',
  'SORT',
  'LIMIT',
  'LET',
  'COLLECT',
  'WINDOW',
  'WITH',
  'INTO',
  'AGGREGATE',
  'GRAPH',
  'SHORTEST_PATH',
  'K_SHORTEST_PATHS',
  'K_PATHS',
  'ALL_SHORTEST_PATHS',
  'DISTINCT',
  'REMOVE',
  'INSERT',
  'UPDATE',
  'REPLACE',
  'UPSERT',
  'ASC',
  'DESC',
  'IN',
  'NOT',
  'AND',
  'OR',
  'LIKE',
  'NULL',
  'TRUE',
  'FALSE',
  'OUTBOUND',
  'INBOUND',
  'ANY',
  'ALL',
  'NONE',
]);

/** Bison's names for tokens, used in "unexpected …" messages. */
const KEYWORD_NAMES: Record<string, string> = {
  FOR: 'FOR declaration',
  LET: 'LET declaration',
  FILTER: 'FILTER declaration',
  RETURN: 'RETURN declaration',
  COLLECT: 'COLLECT declaration',
  SORT: 'SORT declaration',
  LIMIT: 'LIMIT declaration',
  WINDOW: 'WINDOW declaration',
  ASC: 'ASC keyword',
  DESC: 'DESC keyword',
  IN: 'IN keyword',
  WITH: 'WITH keyword',
  INTO: 'INTO keyword',
  AGGREGATE: 'AGGREGATE keyword',
  GRAPH: 'GRAPH keyword',
  SHORTEST_PATH: 'SHORTEST_PATH keyword',
  K_SHORTEST_PATHS: 'K_SHORTEST_PATHS keyword',
  K_PATHS: 'K_PATHS keyword',
  ALL_SHORTEST_PATHS: 'ALL_SHORTEST_PATHS keyword',
  DISTINCT: 'DISTINCT modifier',
  REMOVE: 'REMOVE command',
  INSERT: 'INSERT command',
  UPDATE: 'UPDATE command',
  REPLACE: 'REPLACE command',
  UPSERT: 'UPSERT command',
  NULL: 'null',
  TRUE: 'true',
  FALSE: 'false',
  NOT: 'not operator',
  AND: 'and operator',
  OR: 'or operator',
  LIKE: 'like operator',
  OUTBOUND: 'outbound modifier',
  INBOUND: 'inbound modifier',
  ANY: 'any modifier',
  ALL: 'all modifier',
  NONE: 'none modifier',
};

const OP_NAMES: Record<string, string> = {
  '=': 'assignment',
  '==': '== operator',
  '!=': '!= operator',
  '<': '< operator',
  '>': '> operator',
  '<=': '<= operator',
  '>=': '>= operator',
  '!': 'not operator',
  '&&': 'and operator',
  '||': 'or operator',
  '=~': '~= operator',
  '!~': '~! operator',
  '+': '+ operator',
  '-': '- operator',
  '*': '* operator',
  '/': '/ operator',
  '%': '% operator',
};

export function describeToken(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'end of query string';
    case 'ident':
      return 'identifier';
    case 'string':
      return 'quoted string';
    case 'int':
      return 'integer number';
    case 'double':
      return 'number';
    case 'param':
      return 'bind parameter';
    case 'dsparam':
      return 'bind data source parameter';
    case 'keyword':
      return KEYWORD_NAMES[t.value] ?? t.value;
    case 'op':
      return OP_NAMES[t.value] ?? t.value;
  }
}

/** Longest first, so `==` wins over `=` and `..` over `.`. */
const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '=~',
  '!~',
  '&&',
  '||',
  '::',
  '..',
  '?',
  ':',
  '=',
  '<',
  '>',
  '!',
  '+',
  '-',
  '*',
  '/',
  '%',
  '.',
  ',',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
];

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = query.length;
  const pos = (offset: number): Pos => ({ offset, line, column: offset - lineStart });
  const fail = (what: string, offset: number) => {
    const p = pos(offset);
    return syntaxError(query, what, offset, p.line, p.column);
  };

  while (i < n) {
    const c = query[i] as string;
    // \n, \r and \r\n each end a line, as QueryString::extractRegion counts them.
    if (c === '\n' || c === '\r') {
      i += c === '\r' && query[i + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '/' && query[i + 1] === '/') {
      while (i < n && query[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && query[i + 1] === '*') {
      const end = query.indexOf('*/', i + 2);
      if (end < 0) throw fail('unexpected unterminated comment', i);
      for (let j = i; j < end; j++) {
        if (query[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = end + 2;
      continue;
    }
    const start = pos(i);
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(query[j] as string)) j++;
      const word = query.slice(i, j);
      const upper = word.toUpperCase();
      if (KEYWORDS.has(upper)) tokens.push({ ...start, type: 'keyword', value: upper });
      else tokens.push({ ...start, type: 'ident', value: word });
      i = j;
      continue;
    }
    if (c === '`' || c === '´') {
      const end = query.indexOf(c, i + 1);
      if (end < 0) throw fail('unexpected unterminated identifier', i);
      tokens.push({ ...start, type: 'ident', value: query.slice(i + 1, end), quoted: true });
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let out = '';
      for (;;) {
        if (j >= n) throw fail('unexpected unterminated string literal', i);
        const d = query[j] as string;
        if (d === c) break;
        if (d === '\\') {
          const e = query[j + 1];
          j += 2;
          switch (e) {
            case 'n':
              out += '\n';
              break;
            case 't':
              out += '\t';
              break;
            case 'r':
              out += '\r';
              break;
            case 'b':
              out += '\b';
              break;
            case 'f':
              out += '\f';
              break;
            case 'u':
              out += String.fromCharCode(Number.parseInt(query.slice(j, j + 4), 16));
              j += 4;
              break;
            default:
              out += e ?? '';
          }
          continue;
        }
        if (d === '\n') {
          line++;
          lineStart = j + 1;
        }
        out += d;
        j++;
      }
      tokens.push({ ...start, type: 'string', value: out });
      i = j + 1;
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(query[i + 1] ?? '') && query[i - 1] !== '.')) {
      const m =
        /^(0[xX][0-9a-fA-F]+|0[bB][01]+|(?:[0-9]+(?:\.(?!\.)[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/.exec(
          query.slice(i),
        );
      const text = (m as RegExpExecArray)[0];
      const isDouble = /[.eE]/.test(text) && !/^0[xX]/.test(text);
      tokens.push({ ...start, type: isDouble ? 'double' : 'int', value: text });
      i += text.length;
      continue;
    }
    if (c === '@') {
      const ds = query[i + 1] === '@';
      let j = i + (ds ? 2 : 1);
      const nameStart = j;
      while (j < n && IDENT_PART.test(query[j] as string)) j++;
      if (j === nameStart) throw fail('unexpected bind parameter', i);
      tokens.push({ ...start, type: ds ? 'dsparam' : 'param', value: query.slice(nameStart, j) });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => query.startsWith(o, i));
    if (op === undefined) throw fail(`unexpected character '${c}'`, i);
    tokens.push({ ...start, type: 'op', value: op });
    i += op.length;
  }
  if (tokens.length === 0) throw emptyQuery();
  tokens.push({ ...pos(n), type: 'eof', value: '' });
  return tokens;
}

export function numberValue(t: Token): number {
  const v = t.value;
  if (/^0[bB]/.test(v)) return Number.parseInt(v.slice(2), 2);
  return Number(v);
}
