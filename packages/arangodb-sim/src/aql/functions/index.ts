/** The AQL function table: every function the simulator implements, by upper-case name. */
import { arrayFunctions } from './array.js';
import { dateFunctions } from './date.js';
import { documentFunctions } from './document.js';
import { miscFunctions } from './misc.js';
import { numericFunctions } from './numeric.js';
import type { AqlFunction, FunctionTable } from './registry.js';
import { stringFunctions } from './string.js';
import { typeFunctions } from './type.js';

export type { AqlFunction, FunctionContext } from './registry.js';

const FUNCTIONS: FunctionTable = {
  ...arrayFunctions,
  ...stringFunctions,
  ...numericFunctions,
  ...documentFunctions,
  ...dateFunctions,
  ...typeFunctions,
  ...miscFunctions,
};

export function getFunction(name: string): AqlFunction | undefined {
  return Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
}

/** Upper-case names of every implemented function, aliases included. */
export function implementedFunctionNames(): string[] {
  return Object.keys(FUNCTIONS);
}

export function functionArity(name: string): { min: number; max: number } | undefined {
  return getFunction(name);
}

/** Aggregates ArangoDB allows after AGGREGATE; COUNT/LENGTH count rows, PUSH gathers values. */
export const AGGREGATE_FUNCTIONS = new Set([
  'LENGTH',
  'COUNT',
  'MIN',
  'MAX',
  'SUM',
  'AVERAGE',
  'AVG',
  'UNIQUE',
  'SORTED_UNIQUE',
  'COUNT_DISTINCT',
  'COUNT_UNIQUE',
  'PUSH',
]);
