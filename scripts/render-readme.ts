// `npm run docs`: regenerates the README's generated blocks from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderReadme } from '../packages/cli/src/readme.js';
import { renderExporterReadme } from '../packages/exporter/src/readme.js';

const file = new URL('../README.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = await renderReadme(before);
if (after !== before) writeFileSync(file, after);
console.log(after === before ? 'README.md is up to date' : 'README.md regenerated');

const exporterFile = new URL('../packages/exporter/README.md', import.meta.url);
const exporterBefore = readFileSync(exporterFile, 'utf8');
const exporterAfter = renderExporterReadme(
  exporterBefore,
  new URL('../packages/schema/profiles/codevaldcortex/metrics.yaml', import.meta.url).pathname,
);
if (exporterAfter !== exporterBefore) writeFileSync(exporterFile, exporterAfter);
console.log(
  `packages/exporter/README.md ${exporterAfter === exporterBefore ? 'is up to date' : 'regenerated'}`,
);
