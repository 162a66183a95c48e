/**
 * `checks.yaml` in a profile folder: the queries a restored backup must
 * answer the way the application needs, and which collections are sampled
 * from the live database for completeness (with the attribute that tells
 * when a document was created).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '@arangops/core';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';

export const CHECKS_FILE = 'checks.yaml';

const identifier = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');

const queryCheckSchema = z.strictObject({
  name: identifier.describe('Stable name; the check is reported as query:<name>.'),
  description: z.string().optional(),
  query: z.string().min(1).describe('AQL run against the restored database.'),
  bindVars: z.record(z.string(), z.unknown()).default({}),
  minRows: z.number().int().min(0).default(0).describe('The query must return at least this many rows.'),
  expect: z
    .string()
    .min(1)
    .optional()
    .describe('An AQL expression over @rows (the result) that must be true.'),
  mustUseIndex: z.string().min(1).optional().describe('The plan (explain) must use the index of this name.'),
});

const completenessSchema = z.strictObject({
  sample: z.number().int().min(1).max(10_000).default(100).describe('Live documents sampled per collection.'),
  collections: z
    .record(identifier, identifier)
    .describe('Collection → attribute holding its documents’ creation time (ISO 8601 string or epoch ms).'),
});

export const checksFileSchema = z.strictObject({
  version: z.literal(1),
  queries: z.array(queryCheckSchema).default([]),
  completeness: completenessSchema.optional(),
});

export type ChecksFile = z.infer<typeof checksFileSchema>;
export type QueryCheck = z.infer<typeof queryCheckSchema>;

/** The profile folder's checks.yaml; none is no checks. */
export async function loadChecksFile(profileDir: string): Promise<ChecksFile | undefined> {
  const file = join(profileDir, CHECKS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(
      `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      { file },
      { cause: e },
    );
  }
  return parseChecksFile(text, file);
}

export function parseChecksFile(text: string, file: string): ChecksFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lineCounter.linePos(yamlError.pos[0]);
    throw new InputError(`invalid YAML: ${yamlError.message.split('\n')[0]}`, {
      file,
      line: pos.line,
      column: pos.col,
    });
  }
  const parsed = checksFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number] } | undefined;
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    throw new InputError(issue.message, {
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      field: issue.path.join('.'),
    });
  }
  const names = new Set<string>();
  for (const q of parsed.data.queries) {
    if (names.has(q.name))
      throw new InputError(`query name "${q.name}" is used twice`, { file, field: 'queries' });
    names.add(q.name);
  }
  return parsed.data;
}
