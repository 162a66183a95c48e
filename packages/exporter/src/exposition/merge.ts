import { isNameChar, type ScannedFamily, scanExposition } from './parse.js';
import type { Labels, TextFamily, TextSeries } from './types.js';

export interface SplitSample {
  name: string;
  /** Label pairs as written, without braces. */
  labels: string;
  labelNames: string[];
  /** `labels` without `le`/`quantile`: the label set a histogram bucket or quantile belongs to. */
  labelSet: string;
  value: string;
}

/**
 * Splits a sample line into name, label text and value without building label objects: the
 * label text is only walked (quote- and escape-aware) to learn the label names.
 */
export function splitSample(line: string): SplitSample {
  let i = 0;
  while (i < line.length && isNameChar(line.charCodeAt(i))) i++;
  const name = line.slice(0, i);
  if (name === '' || line.charCodeAt(0) <= 57) throw new Error('invalid metric name');
  const labelNames: string[] = [];
  let labels = '';
  let labelSet = '';
  if (line.charCodeAt(i) === 123) {
    const open = i + 1;
    let bucketStart = -1;
    let bucketEnd = -1;
    i = open;
    for (;;) {
      while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 44) i++;
      if (line.charCodeAt(i) === 125) break;
      const nameStart = i;
      while (i < line.length && isNameChar(line.charCodeAt(i))) i++;
      const labelName = line.slice(nameStart, i);
      if (labelName === '' || line.charCodeAt(i) !== 61 || line.charCodeAt(i + 1) !== 34) {
        throw new Error(`invalid label at column ${nameStart + 1}`);
      }
      let close = line.indexOf('"', i + 2);
      // A quote preceded by an odd number of backslashes is part of the value.
      for (;;) {
        if (close < 0) throw new Error(`unterminated value of label ${labelName}`);
        let backslashes = 0;
        while (line.charCodeAt(close - 1 - backslashes) === 92) backslashes++;
        if (backslashes % 2 === 0) break;
        close = line.indexOf('"', close + 1);
      }
      labelNames.push(labelName);
      if (labelName === 'le' || labelName === 'quantile') {
        bucketStart = nameStart;
        bucketEnd = close + 1;
      }
      i = close + 1;
    }
    labels = line.slice(open, i);
    if (bucketStart < 0) labelSet = labels;
    else {
      const before = line.slice(open, bucketStart).replace(/[\s,]+$/, '');
      const after = line.slice(bucketEnd, i).replace(/^[\s,]+/, '');
      labelSet = before !== '' && after !== '' ? `${before},${after}` : before || after;
    }
    i++;
  }
  // 3.10.0–3.10.5 wrote no space between the labels and the value; a timestamp may follow.
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  let end = i;
  while (end < line.length && line.charCodeAt(end) !== 32 && line.charCodeAt(end) !== 9) end++;
  if (end === i) throw new Error('expected a value');
  return { name, labels, labelNames, labelSet, value: line.slice(i, end) };
}

/** One server's body, split into families of text samples (see {@link splitExposition}). */
export type SplitFamily = ScannedFamily<SplitSample>;

/** Splits a body into families; throws ExpositionParseError (with the line) for malformed text. */
export function splitExposition(text: string): SplitFamily[] {
  return scanExposition(text, splitSample);
}

export interface MergeSource {
  families: SplitFamily[];
  /** Labels added to every sample that does not carry them already, placed first. */
  inject: Labels;
}

export interface MergeOptions {
  /** Most label sets per family (a histogram's buckets count once: `le`/`quantile` are ignored). */
  limit?: number;
}

export interface MergeResult {
  families: TextFamily[];
  /**
   * Samples left out per family: the family's type disagreed with the first server's, the
   * series repeated, or the family reached the limit.
   */
  dropped: Map<string, number>;
}

interface Target {
  family: TextFamily;
  series: Set<string>;
  labelSets: Set<string>;
}

const escapeValue = (value: string) => value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

/**
 * The injected label text for a sample, by which of the injected names it already carries;
 * rendered once per combination (ArangoDB samples mostly carry `role`, rarely `server`).
 */
function injectedRenderer(inject: Labels): (present: string[]) => string {
  const names = Object.keys(inject);
  const rendered = new Map<number, string>();
  return (present) => {
    let mask = 0;
    for (const [bit, name] of names.entries()) if (present.includes(name)) mask |= 1 << bit;
    let text = rendered.get(mask);
    if (text === undefined) {
      text = names
        .filter((_, bit) => (mask & (1 << bit)) === 0)
        .map((name) => `${name}="${escapeValue(inject[name] as string)}"`)
        .join(',');
      rendered.set(mask, text);
    }
    return text;
  };
}

/**
 * Merges several servers' exposition texts into one list with one entry per family name: the
 * first HELP/TYPE seen wins, samples of all servers follow each other, and the injected labels
 * keep otherwise identical series apart (3.11's `rocksdb_*` families carry no labels at all).
 */
export function mergeExpositions(sources: Iterable<MergeSource>, options: MergeOptions = {}): MergeResult {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const merged = new Map<string, Target>();
  const dropped = new Map<string, number>();
  const drop = (name: string, count: number) => dropped.set(name, (dropped.get(name) ?? 0) + count);
  for (const source of sources) {
    const injected = injectedRenderer(source.inject);
    for (const family of source.families) {
      let target = merged.get(family.name);
      if (!target) {
        target = {
          family: { name: family.name, help: family.help, type: family.type, series: [] },
          series: new Set(),
          labelSets: new Set(),
        };
        merged.set(family.name, target);
      } else if (target.family.type !== family.type) {
        drop(family.name, family.items.length);
        continue;
      }
      if (!target.family.help && family.help) target.family.help = family.help;
      for (const sample of family.items) {
        const prefix = injected(sample.labelNames);
        const join = (rest: string) => (prefix === '' ? rest : rest === '' ? prefix : `${prefix},${rest}`);
        const labels = join(sample.labels);
        const labelSet = sample.labelSet === sample.labels ? labels : join(sample.labelSet);
        const series = `${sample.name}{${labels}}`;
        if (target.series.has(series)) {
          drop(family.name, 1);
          continue;
        }
        if (!target.labelSets.has(labelSet)) {
          if (target.labelSets.size >= limit) {
            drop(family.name, 1);
            continue;
          }
          target.labelSets.add(labelSet);
        }
        target.series.add(series);
        const text: TextSeries = { name: sample.name, labels, value: sample.value };
        target.family.series.push(text);
      }
    }
  }
  return { families: [...merged.values()].map((t) => t.family), dropped };
}
