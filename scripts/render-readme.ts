// `npm run docs`: regenerates the README's generated blocks from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderReadme } from '../packages/cli/src/readme.js';

const file = new URL('../README.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = await renderReadme(before);
if (after !== before) writeFileSync(file, after);
console.log(after === before ? 'README.md is up to date' : 'README.md regenerated');
