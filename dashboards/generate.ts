/**
 * `npm run dashboards`: writes every dashboard into the chart. The JSON is committed; a test
 * regenerates it and fails when the committed files differ.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DASHBOARDS, renderDashboard } from './src/index.js';

const OUT = resolve(import.meta.dirname, '../charts/arangops/files/dashboards');
const expected = new Set(DASHBOARDS.map((d) => `${d.file}.json`));
for (const stale of readdirSync(OUT).filter((f) => f.endsWith('.json') && !expected.has(f))) {
  rmSync(join(OUT, stale));
}
for (const definition of DASHBOARDS) {
  writeFileSync(join(OUT, `${definition.file}.json`), renderDashboard(definition));
}
console.log(`wrote ${DASHBOARDS.length} dashboards to ${OUT}`);
