/** Numeric functions. */
import { finite, toNumber } from '../evaluate/values.js';
import type { FunctionTable } from './registry.js';

function unary(op: (x: number) => number) {
  return { min: 1, max: 1, fn: ([v]: unknown[]) => finite(op(toNumber(v))) };
}

export const numericFunctions: FunctionTable = {
  // AQL rounds halves away from zero; Math.round rounds -2.5 to -2.
  ROUND: unary((x) => Math.sign(x) * Math.round(Math.abs(x))),
  FLOOR: unary(Math.floor),
  CEIL: unary(Math.ceil),
  ABS: unary(Math.abs),
  SQRT: unary(Math.sqrt),
  POW: { min: 2, max: 2, fn: ([b, e]) => finite(toNumber(b) ** toNumber(e)) },
};
