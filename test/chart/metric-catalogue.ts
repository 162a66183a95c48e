/**
 * Every metric name the chart may use, from where it is defined: the exporter's metric
 * table, the drift metrics library, the metric-name literals of every package's sources (the
 * backup and verify libraries name theirs that way), each profile's metrics.yaml, ArangoDB's
 * metrics catalogue (test/data/arangodb-metrics.json), the names Prometheus itself adds, and
 * the list of names other branches have not merged yet.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ALL_METRICS } from '@arangops/exporter';
import { SCHEMA_METRICS } from '@arangops/schema';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../harness/tools.js';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface KnownMetric {
  readonly source: string;
  readonly type: MetricType;
}

interface CatalogueEntry {
  name: string;
  type: MetricType;
  observedSingleServer?: Record<string, MetricType> | null;
}

const typeBySuffix = (name: string): MetricType => (name.endsWith('_total') ? 'counter' : 'gauge');

/** Quoted `arangops_…` names in the non-test TypeScript of packages/<name>/src. */
function sourceLiterals(): [string, string][] {
  const found: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/['"`](arangops_[a-z0-9_]*[a-z0-9])['"`]/g)) {
          found.push([m[1] as string, relative(REPO_ROOT, path)]);
        }
      }
    }
  };
  const packages = join(REPO_ROOT, 'packages');
  for (const pkg of readdirSync(packages)) walk(join(packages, pkg, 'src'));
  return found;
}

/** Every metric a page we serve or scrape can carry: our packages, the profiles, ArangoDB's catalogue. */
export function knownMetrics(): Map<string, KnownMetric> {
  const known = new Map<string, KnownMetric>();
  const add = (name: string, source: string, type: MetricType) => {
    if (type === 'histogram') {
      for (const suffix of ['_bucket', '_count', '_sum'])
        known.set(`${name}${suffix}`, { source, type: 'counter' });
    }
    known.set(name, { source, type });
  };
  for (const m of ALL_METRICS) add(m.name, 'packages/exporter/src/metric-names.ts', m.type);
  for (const name of Object.values(SCHEMA_METRICS)) add(name, 'packages/schema/src/metrics.ts', 'gauge');
  for (const [name, file] of sourceLiterals()) if (!known.has(name)) add(name, file, typeBySuffix(name));
  const profiles = join(REPO_ROOT, 'packages', 'schema', 'profiles');
  for (const profile of readdirSync(profiles)) {
    const file = join(profiles, profile, 'metrics.yaml');
    const doc = parseYaml(readFileSync(file, 'utf8')) as { metrics: { name: string }[] };
    for (const m of doc.metrics) add(m.name, `packages/schema/profiles/${profile}/metrics.yaml`, 'gauge');
  }
  const catalogue = JSON.parse(
    readFileSync(join(REPO_ROOT, 'test', 'data', 'arangodb-metrics.json'), 'utf8'),
  ) as CatalogueEntry[];
  for (const m of catalogue) {
    // The server's own type wins over the documented one (the docs are wrong for a few).
    const observed = Object.values(m.observedSingleServer ?? {})[0];
    add(m.name, 'test/data/arangodb-metrics.json', observed ?? m.type);
  }
  add('up', 'Prometheus (scrape health)', 'gauge');
  return known;
}
