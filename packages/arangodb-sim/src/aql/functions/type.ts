/** Type checks and conversions. */
import { isObject, toArray, toBool, toNumber, toStr, typeName } from '../evaluate/values.js';
import { isDateString } from './date.js';
import { type FunctionTable, VARIADIC } from './registry.js';

function check(pred: (v: unknown) => boolean) {
  return { min: 1, max: 1, fn: ([v]: unknown[]) => pred(v) };
}

export const typeFunctions: FunctionTable = {
  IS_NULL: check((v) => v === null || v === undefined),
  IS_BOOL: check((v) => typeof v === 'boolean'),
  IS_NUMBER: check((v) => typeof v === 'number'),
  IS_STRING: check((v) => typeof v === 'string'),
  IS_ARRAY: check(Array.isArray),
  IS_LIST: check(Array.isArray),
  IS_OBJECT: check(isObject),
  IS_DOCUMENT: check(isObject),
  IS_DATESTRING: check(isDateString),
  TYPENAME: { min: 1, max: 1, fn: ([v]) => typeName(v) },
  TO_NUMBER: { min: 1, max: 1, fn: ([v]) => toNumber(v) },
  TO_STRING: { min: 1, max: 1, fn: ([v]) => toStr(v) },
  TO_BOOL: { min: 1, max: 1, fn: ([v]) => toBool(v) },
  TO_ARRAY: { min: 1, max: 1, fn: ([v]) => toArray(v) },
  TO_LIST: { min: 1, max: 1, fn: ([v]) => toArray(v) },
  NOT_NULL: { min: 1, max: VARIADIC, fn: (args) => args.find((a) => a !== null && a !== undefined) ?? null },
};
