/**
 * The metric tables of the exporter's README, written from the definitions (metric-names.ts)
 * and the profile's metrics.yaml, so the README lists exactly what the page carries.
 * `npm run docs` rewrites them; a test fails when they are stale.
 */
import {
  AQL_METRICS,
  CLUSTER_METRICS,
  COLLECTION_METRICS,
  type MetricDefinition,
  SELF_METRICS,
  SERVER_METRICS,
  SUITE_METRICS,
} from './metric-names.js';
import { loadMetricsFile } from './profile/metrics-file.js';

const GROUPS: Record<string, Record<string, MetricDefinition>> = {
  self: SELF_METRICS,
  cluster: CLUSTER_METRICS,
  server: SERVER_METRICS,
  collections: COLLECTION_METRICS,
  aql: AQL_METRICS,
  suite: SUITE_METRICS,
};

const BLOCK = /<!-- generated:metrics:([a-z-]+) -->\n[\s\S]*?<!-- \/generated -->/g;

const labelList = (labels: readonly string[]) => labels.map((l) => `\`${l}\``).join(', ');
const cell = (text: string) => text.replace(/\|/g, '\\|');

function definitionTable(definitions: MetricDefinition[]): string {
  return [
    '| metric | type | labels | meaning |',
    '|---|---|---|---|',
    ...definitions.map((m) => `| \`${m.name}\` | ${m.type} | ${labelList(m.labels)} | ${cell(m.help)} |`),
  ].join('\n');
}

function profileTable(metricsFile: string): string {
  const { metrics, defaults } = loadMetricsFile(metricsFile);
  return [
    '| metric | type | labels | refreshed | meaning |',
    '|---|---|---|---|---|',
    ...metrics.map((m) => {
      const interval = m.minIntervalSeconds ?? defaults.minIntervalSeconds;
      const labels = labelList(m.labels) + (m.zeroFill ? ' (zero-filled)' : '');
      return `| \`${m.name}\` | ${m.type} | ${labels} | ${interval > 0 ? `every ${interval} s at most` : 'every scrape'} | ${cell(m.help)} |`;
    }),
  ].join('\n');
}

export function renderExporterReadme(readme: string, profileMetricsFile: string): string {
  return readme.replace(BLOCK, (_all, name: string) => {
    let body: string;
    if (name === 'profile') body = profileTable(profileMetricsFile);
    else {
      const group = GROUPS[name];
      if (!group) throw new Error(`exporter README: unknown generated block "metrics:${name}"`);
      body = definitionTable(Object.values(group));
    }
    return `<!-- generated:metrics:${name} -->\n${body}\n<!-- /generated -->`;
  });
}
