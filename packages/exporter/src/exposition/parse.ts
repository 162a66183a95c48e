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
const TYPES: Record<string, MetricType> = {
  counter: 'counter',
  gauge: 'gauge',
  // ArangoDB 3.6/3.7 printed "guage" (arangodb/arangodb#12608).
  guage: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'untyped',
};
const SUFFIXES: Record<'histogram' | 'summary', readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

function unescapeHelp(text: string): string {
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
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name) throw new Error(`invalid label name at column ${i + 1}`);
    i += name.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=' || text[i + 1] !== '"') throw new Error(`expected ="…" after label ${name}`);
    i += 2;
    let value = '';
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
    if (Object.hasOwn(labels, name)) throw new Error(`duplicate label ${name}`);
    labels[name] = value;
  }
}

function parseSample(text: string): Sample {
  const name = METRIC_NAME.exec(text)?.[0];
  if (!name) throw new Error('invalid metric name');
  let i = name.length;
  let labels: Labels = {};
  if (text[i] === '{') ({ labels, end: i } = parseLabels(text, i));
  // 3.10.0–3.10.5 wrote no space between the labels and the value.
  const rest = text.slice(i).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new Error('expected value [timestamp]');
  return { name, labels, value: parseValue(rest[0] as string) };
}

/**
 * Parses the Prometheus text exposition format (0.0.4). Samples are grouped into the family
 * their TYPE line declares (histogram `_bucket`/`_sum`/`_count` stay under their family);
 * samples without TYPE become untyped families of their own. Timestamps are dropped: an
 * exporter must not re-expose them.
 */
export function parseExposition(text: string): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  const family = (name: string): MetricFamily => {
    let found = families.get(name);
    if (!found) {
      found = { name, help: '', type: 'untyped', samples: [] };
      families.set(name, found);
    }
    return found;
  };
  const familyOf = (sampleName: string): MetricFamily => {
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

  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    try {
      if (line.startsWith('#')) {
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
      const sample = parseSample(line.trimStart());
      familyOf(sample.name).samples.push(sample);
    } catch (error) {
      throw new ExpositionParseError((error as Error).message, index + 1);
    }
  }
  return [...families.values()];
}
