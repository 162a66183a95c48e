import type { Labels, MetricFamily } from './types.js';

export interface MergeSource {
  families: MetricFamily[];
  /** Labels added to every sample that does not carry them already, placed first. */
  inject: Labels;
}

export interface MergeOptions {
  /** Most label sets per family (a histogram's buckets count once: `le`/`quantile` are ignored). */
  limit?: number;
}

export interface MergeResult {
  families: MetricFamily[];
  /**
   * Samples left out per family: the family's type disagreed with the first server's, the
   * series repeated, or the family reached the limit.
   */
  dropped: Map<string, number>;
}

function withInjected(labels: Labels, inject: Labels): Labels {
  const out: Labels = {};
  for (const name in inject) if (!Object.hasOwn(labels, name)) out[name] = inject[name] as string;
  return Object.assign(out, labels);
}

function labelKey(labels: Labels, skipBucketLabels: boolean): string {
  let key = '';
  for (const label in labels) {
    if (skipBucketLabels && (label === 'le' || label === 'quantile')) continue;
    key += `\u0000${label}\u0001${labels[label]}`;
  }
  return key;
}

interface Target {
  family: MetricFamily;
  series: Set<string>;
  labelSets: Set<string>;
}

/**
 * Merges several servers' families into one list with one entry per family name: the first
 * HELP/TYPE seen wins, samples of all servers follow each other, and the injected labels keep
 * otherwise identical series apart (3.11's `rocksdb_*` families carry no labels at all).
 */
export function mergeFamilies(sources: Iterable<MergeSource>, options: MergeOptions = {}): MergeResult {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const merged = new Map<string, Target>();
  const dropped = new Map<string, number>();
  const drop = (name: string, count: number) => dropped.set(name, (dropped.get(name) ?? 0) + count);
  for (const source of sources) {
    for (const family of source.families) {
      let target = merged.get(family.name);
      if (!target) {
        target = {
          family: { name: family.name, help: family.help, type: family.type, samples: [] },
          series: new Set(),
          labelSets: new Set(),
        };
        merged.set(family.name, target);
      } else if (target.family.type !== family.type) {
        drop(family.name, family.samples.length);
        continue;
      }
      if (!target.family.help && family.help) target.family.help = family.help;
      for (const sample of family.samples) {
        const labels = withInjected(sample.labels, source.inject);
        const series = sample.name + labelKey(labels, false);
        const labelSet = labelKey(labels, true);
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
        target.family.samples.push({ name: sample.name, labels, value: sample.value });
      }
    }
  }
  return { families: [...merged.values()].map((t) => t.family), dropped };
}
