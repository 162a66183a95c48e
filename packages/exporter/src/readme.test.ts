import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_METRICS } from './metric-names.js';
import { loadMetricsFile } from './profile/metrics-file.js';
import { renderExporterReadme } from './readme.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const PROFILE_METRICS = new URL('../../schema/profiles/codevaldcortex/metrics.yaml', import.meta.url)
  .pathname;

describe('README', () => {
  it('has its metric tables as the code writes them (run `npm run docs` to update)', () => {
    expect(renderExporterReadme(README, PROFILE_METRICS)).toBe(README);
  });

  it('documents every metric the exporter defines, in a table row of its own', () => {
    const missing = ALL_METRICS.filter((m) => !README.includes(`| \`${m.name}\` | ${m.type} |`));
    expect(missing.map((m) => m.name)).toEqual([]);
  });

  it('documents every metric of the CodeValdCortex profile', () => {
    const { metrics } = loadMetricsFile(PROFILE_METRICS);
    const missing = metrics.filter((m) => !README.includes(`| \`${m.name}\` |`));
    expect(missing.map((m) => m.name)).toEqual([]);
  });
});
