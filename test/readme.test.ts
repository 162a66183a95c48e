import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReadme } from '../packages/cli/src/readme.js';

describe('README.md', () => {
  it('matches the code: configuration reference and every --help (run `npm run docs` to update)', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('<!-- generated:config-reference -->');
    expect(await renderReadme(readme)).toBe(readme);
  });
});
