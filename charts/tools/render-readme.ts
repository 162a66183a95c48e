/** `npm run chart:readme`: regenerates the values table of charts/arangops/README.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderValuesTable, valuesDocs } from './values-docs.js';

const CHART = resolve(import.meta.dirname, '../arangops');
const readmePath = resolve(CHART, 'README.md');
const docs = valuesDocs(readFileSync(resolve(CHART, 'values.yaml'), 'utf8'));
writeFileSync(readmePath, renderValuesTable(readFileSync(readmePath, 'utf8'), docs));
console.log(`documented ${docs.length} values in ${readmePath}`);
