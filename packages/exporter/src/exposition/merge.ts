import type { Labels, MetricFamily } from './types.js';

export interface MergeSource {
  families: MetricFamily[];
  /** Labels added to every sample that does not carry them already, placed first. */
  inject: Labels;
}

export interface MergeResult {
  families: MetricFamily[];
  /** Samples left out: their family's type disagreed with the first server's, or the series repeated. */
  dropped: number;
}

function withInjected(labels: Labels, inject: Labels): Labels {
  const out: Labels = {};
  for (const name in inject) if (!Object.hasOwn(labels, name)) out[name] = inject[name] as string;
  return Object.assign(out, labels);
}

const seriesKey = (name: string, labels: Labels) => {
  let key = name;
  for (const label in labels) key += `\u0000${label}\u0001${labels[label]}`;
  return key;
};

/**
 * Merges several servers' families into one list with one entry per family name: the first
 * HELP/TYPE seen wins, samples of all servers follow each other, and the injected labels keep
 * otherwise identical series apart (3.11's `rocksdb_*` families carry no labels at all).
 */
export function mergeFamilies(sources: Iterable<MergeSource>): MergeResult {
  const merged = new Map<string, MetricFamily>();
  const seen = new Map<string, Set<string>>();
  let dropped = 0;
  for (const source of sources) {
    for (const family of source.families) {
      let target = merged.get(family.name);
      if (!target) {
        target = { name: family.name, help: family.help, type: family.type, samples: [] };
        merged.set(family.name, target);
        seen.set(family.name, new Set());
      } else if (target.type !== family.type) {
        dropped += family.samples.length;
        continue;
      }
      if (!target.help && family.help) target.help = family.help;
      const keys = seen.get(family.name) as Set<string>;
      for (const sample of family.samples) {
        const labels = withInjected(sample.labels, source.inject);
        const key = seriesKey(sample.name, labels);
        if (keys.has(key)) {
          dropped++;
          continue;
        }
        keys.add(key);
        target.samples.push({ name: sample.name, labels, value: sample.value });
      }
    }
  }
  return { families: [...merged.values()], dropped };
}
