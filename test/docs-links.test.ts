/**
 * Every relative link in the README, docs/, the chart's README and the packages' READMEs
 * resolves: the file or folder exists, and an anchor names a heading (GitHub's slugs, duplicates
 * numbered) or an explicit id in the target file. Links inside code are not links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness/tools.js';

const REPO_URL = 'https://github.com/arangops/arangops/blob/main/';

function markdownFiles(): string[] {
  const files = ['README.md', 'charts/arangops/README.md'];
  for (const f of readdirSync(join(REPO_ROOT, 'docs'))) if (f.endsWith('.md')) files.push(`docs/${f}`);
  for (const f of readdirSync(join(REPO_ROOT, 'packages'), { recursive: true, encoding: 'utf8' })) {
    if (f.endsWith('README.md') && !f.split('/').includes('node_modules')) files.push(`packages/${f}`);
  }
  return files.sort();
}

/** The text with fenced code blocks and inline code blanked (their length kept, for line numbers). */
function withoutCode(text: string): string {
  return text
    .replace(/^( {0,3})(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\2[^\n]*$/gm, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(`+)[^`\n][\s\S]*?\1/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** GitHub's heading slug: the rendered text, lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();

/** The anchors of a Markdown file: its headings' slugs (the second of a name gets -1) and explicit ids. */
function anchors(file: string): Set<string> {
  const cached = anchorCache.get(file);
  if (cached) return cached;
  const text = readFileSync(file, 'utf8');
  // Headings are found where code is blanked, but slugged from the original line (code included).
  const blanked = withoutCode(text).split('\n');
  const found = new Set<string>();
  const seen = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    if (!/^ {0,3}#{1,6}[ \t]/.test(blanked[i] ?? '')) return;
    const base = slug(line.replace(/^ {0,3}#{1,6}[ \t]+/, '').replace(/[ \t]+#*[ \t]*$/, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  });
  for (const [, id] of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) found.add(id as string);
  anchorCache.set(file, found);
  return found;
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

/** Why the link does not resolve, or undefined when it does. */
function broken(from: string, link: string): string | undefined {
  // Links to this repository's main branch are checked like relative ones (the rules' runbook_url).
  const target = link.startsWith(REPO_URL) ? `/${link.slice(REPO_URL.length)}` : link;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: — not checked here
  const [pathPart = '', anchor] = target.split('#', 2) as [string, string | undefined];
  const path = decodeURIComponent(pathPart.split('?')[0] ?? '');
  const file = path === '' ? from : path.startsWith('/') ? join(REPO_ROOT, path) : join(dirname(from), path);
  if (!existsSync(file)) return `no such file ${relative(REPO_ROOT, file)}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(file).isDirectory() || !file.endsWith('.md'))
    return `anchor #${anchor} on a file that is not Markdown`;
  if (!anchors(file).has(decodeURIComponent(anchor))) {
    return `no heading #${anchor} in ${relative(REPO_ROOT, file)}`;
  }
  return undefined;
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
