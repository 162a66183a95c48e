/** AQL parser: text to syntax tree (see ast.ts). */
import type { Query } from '../ast.js';
import { Parser } from './statements.js';

export function parse(query: string): Query {
  return new Parser(query).parseQuery();
}
