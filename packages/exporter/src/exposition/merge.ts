import { closingQuote, type SplitFamily } from './split.js';
import type { TextFamily } from './types.js';

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
  /** Leads (see SplitFamily) of the servers merged in so far, while every one had a distinct lead. */
  leads: Set<string>;
  /** `name{labels}` of every line kept, once two servers' lines could be the same series. */
  series: Set<string> | undefined;
  /** Label sets kept, built only once the family has as many lines as the limit allows sets. */
  labelSets: Set<string> | undefined;
}

/** The series of a page line: everything before the value (lines hold exactly one space before it). */
const seriesOf = (line: string) => line.slice(0, line.lastIndexOf(' '));

/**
 * The label text of a page line without its `le`/`quantile` pair: the label set a histogram
 * bucket or summary quantile belongs to.
 */
export function labelSetOf(line: string): string {
  const open = line.indexOf('{');
  const series = seriesOf(line);
  if (open < 0 || open > series.length) return '';
  const end = series.length - 1;
  let i = open + 1;
  while (i < end) {
    while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 44) i++;
    const labelStart = i;
    const equals = line.indexOf('=', i);
    const close = closingQuote(line, equals + 2);
    if (equals < 0 || close < 0) break;
    i = close + 1;
    const name = line.slice(labelStart, equals);
    if (name === 'le' || name === 'quantile') {
      const before = line.slice(open + 1, labelStart).replace(/[\s,]+$/, '');
      const after = line.slice(i, end).replace(/^[\s,]+/, '');
      return before !== '' && after !== '' ? `${before},${after}` : before || after;
    }
  }
  return line.slice(open + 1, end);
}

/**
 * Merges several servers' families into one list with one entry per family name: the first
 * HELP/TYPE seen wins and the lines of all servers follow each other. The servers' injected
 * labels (see splitExposition) keep otherwise identical series apart (3.11's `rocksdb_*`
 * families carry no labels at all).
 */
export function mergeExpositions(sources: Iterable<SplitFamily[]>, options: MergeOptions = {}): MergeResult {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const merged = new Map<string, Target>();
  const dropped = new Map<string, number>();
  const drop = (name: string, count: number) => dropped.set(name, (dropped.get(name) ?? 0) + count);
  for (const families of sources) {
    for (const family of families) {
      let target = merged.get(family.name);
      if (!target) {
        target = {
          family: { name: family.name, help: family.help, type: family.type, lines: [] },
          leads: new Set(),
          series: undefined,
          labelSets: undefined,
        };
        merged.set(family.name, target);
      } else if (target.family.type !== family.type) {
        drop(family.name, family.lines.length);
        continue;
      }
      if (!target.family.help && family.help) target.family.help = family.help;
      const { lines } = target.family;
      // Whole series are compared only when two servers' lines could be the same series; a
      // server with a lead of its own can repeat only its own series, told apart by the short keys.
      const own = target.series === undefined && family.lead !== undefined && !target.leads.has(family.lead);
      if (own) target.leads.add(family.lead as string);
      else target.series ??= new Set(lines.map(seriesOf));
      const ownKeys = own && family.lines.length > 1 ? new Set<string>() : undefined;
      for (let i = 0; i < family.lines.length; i++) {
        const line = family.lines[i] as string;
        const key = own ? (family.keys[i] as string) : seriesOf(line);
        if (own ? ownKeys?.has(key) : target.series?.has(key)) {
          drop(family.name, 1);
          continue;
        }
        // A family has no more label sets than lines: below the limit in lines, no set can be one too many.
        if (lines.length >= limit) {
          target.labelSets ??= new Set(lines.map(labelSetOf));
          const labelSet = labelSetOf(line);
          if (!target.labelSets.has(labelSet)) {
            if (target.labelSets.size >= limit) {
              drop(family.name, 1);
              continue;
            }
            target.labelSets.add(labelSet);
          }
        }
        (own ? ownKeys : target.series)?.add(key);
        lines.push(line);
      }
    }
  }
  return { families: [...merged.values()].map((t) => t.family), dropped };
}
