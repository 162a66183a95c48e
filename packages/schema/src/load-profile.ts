import { join } from 'node:path';
import { InputError, parseYaml, readInputFile } from '@arangops/core';
import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { profileSchema } from './model.js';
import { isKnownProfile, resolveProfileDir, SCHEMA_FILE, SHIPPED_PROFILES } from './paths.js';
import type { LoadedProfile } from './types.js';

/** Reads and validates `<dir>/schema.yaml` (`builtin:<name>` for a shipped profile); every problem names the file, line and column. */
export async function loadProfile(profileDir: string): Promise<LoadedProfile> {
  if (!isKnownProfile(profileDir)) {
    throw new InputError(`unknown shipped profile ${profileDir}; shipped: ${SHIPPED_PROFILES.join(', ')}`, {
      field: 'profile',
    });
  }
  const dir = resolveProfileDir(profileDir);
  const file = join(dir, SCHEMA_FILE);
  return { dir, file, profile: parseProfile(readInputFile(file, 'profile'), file) };
}

/** Parses profile text; `file` is only used in messages. */
export function parseProfile(text: string, file: string): LoadedProfile['profile'] {
  // Size, duplicate keys and aliases are checked there, the same way as for the config file.
  const { doc, lineCounter, value } = parseYaml(text, file);
  const result = profileSchema.safeParse(value);
  if (result.success) return result.data;

  const located = result.error.issues.map((issue) => locate(issue, doc.contents, lineCounter));
  const [first, ...rest] = located;
  if (!first) throw new InputError('invalid profile', { file });
  const more = rest.map((r) => `\n  ${file}:${r.line}:${r.column} (${r.field}): ${r.message}`).join('');
  throw new InputError(`${first.message}${more}`, {
    file,
    line: first.line,
    column: first.column,
    field: first.field,
  });
}

interface LocatedIssue {
  line: number;
  column: number;
  field: string;
  message: string;
}

function locate(issue: z.core.$ZodIssue, root: unknown, lineCounter: LineCounter): LocatedIssue {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let field = path.join('.');
  let node = nodeAt(root, path);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys' && isMap(node)) {
    // Point at the first unknown key itself, not at the object holding it.
    const key = issue.keys[0];
    const pair = (node as YAMLMap).items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key)) node = pair.key;
    field = [...path, key].join('.');
    message = `unknown key "${key}"${issue.keys.length > 1 ? ` (and ${issue.keys.slice(1).join(', ')})` : ''}`;
  }
  const offset = (node as Node | undefined)?.range?.[0] ?? 0;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col, field: field || '(root)', message };
}

/** The deepest node along the path (a missing key points at its parent). */
function nodeAt(root: unknown, path: (string | number)[]): unknown {
  let node = root;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      next = pair?.value ?? undefined;
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (next === undefined || next === null) return node;
    node = next;
  }
  return node;
}
