import { readFileSync } from 'node:fs';

/** What a real single server emitted for a family (from the recorded 3.11.14 / 3.12.10 bodies). */
export interface ObservedFamily {
  type: 'counter' | 'gauge' | 'histogram';
  help?: string;
  buckets?: string[];
  labelSets?: string[];
  unlabelled?: boolean;
}

export interface MetricDef {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  exposedBy: ('single' | 'agent' | 'dbserver' | 'coordinator')[];
  introducedIn: string;
  documentedIn: string[];
  single311?: ObservedFamily;
  single312?: ObservedFamily;
}

let cached: MetricDef[] | undefined;

/** data/metrics.json is built by scripts/build-metrics-data.mjs; the path works from src/ and dist/. */
export function catalogue(): MetricDef[] {
  cached ??= JSON.parse(
    readFileSync(new URL('../../data/metrics.json', import.meta.url), 'utf8'),
  ) as MetricDef[];
  return cached;
}
