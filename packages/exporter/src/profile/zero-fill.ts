import type { Labels } from '../exposition/types.js';
import type { ProfileMetric } from './metrics-file.js';

const keyOf = (metric: ProfileMetric, labels: Labels) =>
  JSON.stringify(metric.labels.map((name) => labels[name] ?? ''));

/** Every combination of the declared values of the labels that have some, the others as in `base`. */
function expand(metric: ProfileMetric, base: Labels): Labels[] {
  let sets: Labels[] = [{}];
  for (const name of metric.labels) {
    const values = metric.labelValues[name] ?? [base[name] ?? ''];
    sets = sets.flatMap((set) => values.map((value) => ({ ...set, [name]: value })));
  }
  return sets;
}

/**
 * The label sets of a count that the query did not return this time but that are known: ones it
 * returned before (remembered in `seen`, at most `limit`), and the declared `labelValues`
 * combined with them. Grouped counts then fall to 0 instead of disappearing, which would leave
 * an alert on them with nothing to compare.
 */
export function zeroFilled(
  metric: ProfileMetric,
  seen: Map<string, Labels>,
  returned: ReadonlyArray<{ labels: Labels }>,
  limit: number,
): Labels[] {
  for (const { labels } of returned) {
    if (seen.size >= limit) break;
    seen.set(keyOf(metric, labels), labels);
  }
  const all = Object.keys(metric.labelValues).length === metric.labels.length;
  const bases = all ? [{}] : [...seen.values()];
  const present = new Set(returned.map(({ labels }) => keyOf(metric, labels)));
  const zeros = new Map<string, Labels>();
  for (const labels of [...seen.values(), ...bases.flatMap((base) => expand(metric, base))]) {
    const key = keyOf(metric, labels);
    if (!present.has(key)) zeros.set(key, labels);
  }
  return [...zeros.values()];
}
