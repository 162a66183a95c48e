/**
 * YAML input files (the config, a profile, its metrics file): bounded in size,
 * duplicate keys found in one linear pass (the yaml library's own check
 * compares every pair of keys), alias bombs stopped with the file named, and
 * keys that would reach Object.prototype in a merge never passed on.
 */
import { readFileSync, statSync } from 'node:fs';
import { type Document, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { InputError } from './errors.js';

/** Configs and profiles are kilobytes; a larger file is a mistake or an attack on memory. */
export const MAX_INPUT_FILE_BYTES = 4 * 1024 * 1024;

/** Keys that, set on a plain object, reach its prototype. Never merged, from any source. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain JS; undefined for an empty file. */
  value: unknown;
}

/** Reads a text input file; every failure (missing, a folder, unreadable, too large) names the file. */
export function readInputFile(file: string, what: string): string {
  try {
    const { size } = statSync(file);
    if (size > MAX_INPUT_FILE_BYTES) {
      throw new InputError(`${what} is ${size} bytes; the limit is ${MAX_INPUT_FILE_BYTES}`, { file });
    }
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      { file },
      { cause: e },
    );
  }
}

/** Parses YAML text from `file` (used in messages); the first problem is thrown with file, line and column. */
export function parseYaml(text: string, file: string): ParsedYaml {
  if (Buffer.byteLength(text) > MAX_INPUT_FILE_BYTES) {
    throw new InputError(`larger than the limit of ${MAX_INPUT_FILE_BYTES} bytes`, { file });
  }
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const [syntax] = doc.errors;
  if (syntax) throw new InputError(`invalid YAML: ${syntax.message.split('\n')[0]}`, at(syntax.pos[0]));
  const duplicate = firstDuplicateKey(doc);
  if (duplicate) throw new InputError(`duplicate key "${duplicate.key}"`, at(duplicate.offset));
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (e) {
    // The yaml library's alias limit (a "billion laughs" document) throws a ReferenceError without a location.
    throw new InputError(`invalid YAML: ${(e as Error).message}`, { file }, { cause: e });
  }
  return { doc, lineCounter, value };
}

function firstDuplicateKey(doc: Document.Parsed): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          found = { key: String(key), offset: isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0 };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}
