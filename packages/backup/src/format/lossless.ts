/**
 * JSON without number loss: ArangoDB keeps integers up to 2^64 (and 3.11.12/3.12.3+ print those
 * beyond 2^53 with `.0`), which `JSON.parse` would round. Numbers stay `LosslessNumber`s holding
 * their source text, and are written back unchanged.
 */
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';

export type LosslessValue =
  | null
  | boolean
  | string
  | LosslessNumber
  | LosslessValue[]
  | { [key: string]: LosslessValue };
export type LosslessDocument = { [key: string]: LosslessValue };

export function parseLossless(text: string): LosslessValue {
  return parse(text) as LosslessValue;
}

/** JSON text of a parsed value, numbers as their source text, key order kept. */
export function stringifyLossless(value: LosslessValue): string {
  return stringify(value) as string;
}

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units) at every level, no whitespace, numbers as
 * their source text. `omit` drops top-level keys only.
 */
export function canonicalJson(value: LosslessValue, omit: ReadonlySet<string> = new Set()): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (isLosslessNumber(value)) return value.value;
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => !omit.has(k))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
}

export { isLosslessNumber, LosslessNumber };
