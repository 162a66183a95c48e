/**
 * Every relative link in the README, docs/, the chart's README and the packages' READMEs
 * resolves: the file or folder exists, and an anchor names a heading (GitHub's slugs, duplicates
 * numbered) or an explicit id in the target file. Links inside code are not links.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { broken, REPO_URL, slug, withoutCode } from './harness/markdown-links.js';
import { REPO_ROOT } from './harness/tools.js';

function markdownFiles(): string[] {
  const files = ['README.md', 'charts/arangops/README.md'];
  for (const f of readdirSync(join(REPO_ROOT, 'docs'))) if (f.endsWith('.md')) files.push(`docs/${f}`);
  for (const f of readdirSync(join(REPO_ROOT, 'packages'), { recursive: true, encoding: 'utf8' })) {
    if (f.endsWith('README.md') && !f.split('/').includes('node_modules')) files.push(`packages/${f}`);
  }
  return files.sort();
}

function links(text: string): Array<{ target: string; line: number }> {
  const blanked = withoutCode(text);
  const out: Array<{ target: string; line: number }> = [];
  const lineOf = (index: number) => blanked.slice(0, index).split('\n').length;
  for (const m of blanked.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    out.push({ target: m[1] as string, line: lineOf(m.index) });
  }
  for (const m of blanked.matchAll(/^ {0,3}\[[^\]]+\]:\s*(\S+)/gm)) {
    out.push({ target: m[1] as string, line: lineOf(m.index) });
  }
  for (const m of blanked.matchAll(/<a\s[^>]*href="([^"]+)"/g))
    out.push({ target: m[1] as string, line: lineOf(m.index) });
  return out;
}

describe('links in the README and docs', () => {
  it('finds the documents and their links', () => {
    const files = markdownFiles();
    expect(files).toContain('docs/runbooks.md');
    expect(files).toContain('docs/operations.md');
    expect(files).toContain('packages/exporter/README.md');
    expect(links(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).length).toBeGreaterThan(10);
  });

  it.each(markdownFiles())('%s: every relative link and anchor resolves', (name) => {
    const file = join(REPO_ROOT, name);
    const problems = links(readFileSync(file, 'utf8')).flatMap(({ target, line }) => {
      const why = broken(file, target);
      return why ? [`${name}:${line}: ${target}: ${why}`] : [];
    });
    expect(problems).toEqual([]);
  });
});

describe('GitHub heading slugs', () => {
  it.each([
    ['Which Node.js versions are tested', 'which-nodejs-versions-are-tested'],
    [
      '`arangops backup restore` vs. `decrypt` + arangorestore',
      'arangops-backup-restore-vs-decrypt--arangorestore',
    ],
    ['ArangoopsExporterDown', 'arangoopsexporterdown'],
    ['Try it against a real ArangoDB (3.11/3.12)', 'try-it-against-a-real-arangodb-311312'],
    ['snake_case [link](x.md) <b>bold</b>', 'snake_case-link-bold'],
  ])('%s → #%s', (heading, expected) => {
    expect(slug(heading)).toBe(expected);
  });
});

describe('the checker fails on what is broken', () => {
  it('a missing file, a missing anchor, and a link hidden in code is not a link', () => {
    const readme = join(REPO_ROOT, 'README.md');
    expect(broken(readme, 'docs/nope.md')).toBe('no such file docs/nope.md');
    expect(broken(readme, 'docs/runbooks.md#no-such-alert')).toBe(
      'no heading #no-such-alert in docs/runbooks.md',
    );
    expect(broken(readme, '#status')).toBeUndefined();
    expect(broken(readme, `${REPO_URL}docs/runbooks.md#arangoopsexporterdown`)).toBeUndefined();
    expect(broken(readme, `${REPO_URL}docs/runbooks.md#nope`)).toBe('no heading #nope in docs/runbooks.md');
    expect(links('a `[x](nope.md)` b\n```\n[y](nope.md)\n```\n[z](yes.md)\n')).toEqual([
      { target: 'yes.md', line: 5 },
    ]);
  });
});
