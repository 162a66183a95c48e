/**
 * Whether a link in a Markdown file resolves: the file or folder exists, and an anchor names a
 * heading (GitHub's slugs, duplicates numbered) or an explicit id in the target file. Links to
 * this repository's main branch (the rules' runbook_url) are checked like relative ones.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { REPO_ROOT } from './tools.js';

export const REPO_URL = 'https://github.com/arangops/arangops/blob/main/';

/** The text with fenced code blocks and inline code blanked (their length kept, for line numbers). */
export function withoutCode(text: string): string {
  return text
    .replace(/^( {0,3})(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\2[^\n]*$/gm, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(`+)[^`\n][\s\S]*?\1/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** GitHub's heading slug: the rendered text, lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
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

/** Why the link does not resolve, or undefined when it does. */
export function broken(from: string, link: string): string | undefined {
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
