import { isNameChar } from './bytes.js';
import type { Labels, MetricFamily, MetricType, Sample } from './types.js';

export class ExpositionParseError extends Error {
  override readonly name = 'ExpositionParseError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
export const TYPES: Record<string, MetricType> = {
  counter: 'counter',
  gauge: 'gauge',
  // ArangoDB 3.6/3.7 printed "guage" (arangodb/arangodb#12608).
  guage: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'untyped',
};
export const SUFFIXES: Record<'histogram' | 'summary', readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

export function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export function parseValue(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
  }
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new Error(`expected a float, got "${text}"`);
  return value;
}

/** Reads `{a="x",b="y"}` starting at `text[start] === '{'`; returns the labels and the index after `}`. */
function parseLabels(text: string, start: number): { labels: Labels; end: number } {
  const labels: Labels = {};
  let i = start + 1;
  for (;;) {
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 44) i++;
    if (text.charCodeAt(i) === 125) return { labels, end: i + 1 };
    const nameStart = i;
    while (i < text.length && isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 58) i++;
    const name = text.slice(nameStart, i);
    if (name === '' || !LABEL_NAME.test(name))
      throw new Error(`invalid label name at column ${nameStart + 1}`);
    while (text.charCodeAt(i) === 32) i++;
    if (text.charCodeAt(i) !== 61 || text.charCodeAt(i + 1) !== 34)
      throw new Error(`expected ="…" after label ${name}`);
    i += 2;
    // Fast path: no escapes up to the closing quote.
    const close = text.indexOf('"', i);
    if (close < 0) throw new Error(`unterminated value of label ${name}`);
    let value: string;
    const backslash = text.indexOf('\\', i);
    if (backslash < 0 || backslash > close) {
      value = text.slice(i, close);
      i = close + 1;
    } else {
      value = '';
      for (;;) {
        const c = text[i];
        if (c === undefined) throw new Error(`unterminated value of label ${name}`);
        i++;
        if (c === '"') break;
        if (c === '\\') {
          const next = text[i++];
          value += next === 'n' ? '\n' : next === '"' ? '"' : next === '\\' ? '\\' : `\\${next ?? ''}`;
        } else value += c;
      }
    }
    if (Object.hasOwn(labels, name)) throw new Error(`duplicate label ${name}`);
    labels[name] = value;
  }
}

const NO_LABELS: Labels = Object.freeze({}) as Labels;

function parseSample(text: string): Sample {
  let i = 0;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  const name = text.slice(0, i);
  if (name === '' || !METRIC_NAME.test(name)) throw new Error('invalid metric name');
  let labels = NO_LABELS;
  if (text.charCodeAt(i) === 123) ({ labels, end: i } = parseLabels(text, i));
  // 3.10.0–3.10.5 wrote no space between the labels and the value.
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  let end = i;
  while (end < text.length && text.charCodeAt(end) !== 32 && text.charCodeAt(end) !== 9) end++;
  const rest = text.slice(end).trim();
  if (end === i || rest.includes(' ')) throw new Error('expected value [timestamp]');
  return { name, labels: labels === NO_LABELS ? {} : labels, value: parseValue(text.slice(i, end)) };
}

export interface ScannedFamily<T> {
  name: string;
  help: string;
  type: MetricType;
  items: T[];
}

/**
 * Walks the Prometheus text exposition format (0.0.4), grouping each sample line (read by
 * `readSample`) into the family its TYPE line declares: histogram `_bucket`/`_sum`/`_count`
 * stay under their family; samples without TYPE become untyped families of their own.
 */
export function scanExposition<T extends { name: string }>(
  text: string,
  readSample: (line: string) => T,
): ScannedFamily<T>[] {
  const families = new Map<string, ScannedFamily<T>>();
  const family = (name: string): ScannedFamily<T> => {
    let found = families.get(name);
    if (!found) {
      found = { name, help: '', type: 'untyped', items: [] };
      families.set(name, found);
    }
    return found;
  };
  const familyOf = (sampleName: string): ScannedFamily<T> => {
    const direct = families.get(sampleName);
    if (direct && direct.type !== 'histogram' && direct.type !== 'summary') return direct;
    for (const [type, suffixes] of Object.entries(SUFFIXES)) {
      for (const suffix of suffixes) {
        if (!sampleName.endsWith(suffix)) continue;
        const base = families.get(sampleName.slice(0, -suffix.length));
        if (base?.type === type) return base;
      }
    }
    return direct ?? family(sampleName);
  };

  let lineStart = 0;
  for (let index = 1; lineStart < text.length; index++) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd);
    lineStart = lineEnd + 1;
    if (line.trim() === '') continue;
    try {
      if (line.charCodeAt(0) === 35) {
        const match = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s(.*))?$/.exec(line);
        if (!match) continue;
        const [, keyword, name, rest = ''] = match as unknown as [string, string, string, string?];
        const target = family(name);
        if (keyword === 'HELP') target.help = unescapeHelp(rest);
        else {
          const type = TYPES[rest.trim()];
          if (!type) throw new Error(`unknown metric type "${rest.trim()}"`);
          target.type = type;
        }
        continue;
      }
      const sample = readSample(line.trimStart());
      familyOf(sample.name).items.push(sample);
    } catch (error) {
      throw new ExpositionParseError((error as Error).message, index);
    }
  }
  return [...families.values()];
}

/** Parses the text exposition format (text, or its UTF-8 bytes) into families of structured samples. Timestamps are dropped. */
export function parseExposition(text: string | Uint8Array): MetricFamily[] {
  return scanExposition(
    typeof text === 'string' ? text : Buffer.from(text).toString('utf8'),
    parseSample,
  ).map(({ name, help, type, items }) => ({
    name,
    help,
    type,
    samples: items,
  }));
}
