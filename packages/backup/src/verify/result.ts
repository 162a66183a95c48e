/**
 * The versioned verification result: what `arangops verify --json` prints
 * and what is written to the store's `results/`. The zod schema is the one
 * source; `verify-result.schema.json` beside the package is generated from it.
 */
import { z } from 'zod';

export const RESULT_SCHEMA_VERSION = 1;

const checkSchema = z.object({
  name: z.string().describe('Stable check name, e.g. counts, digest, query:<name>.'),
  database: z.string().optional().describe('Source database, when the backup holds several.'),
  status: z.enum(['pass', 'fail', 'skipped']),
  reason: z.string().describe('Plain words: why it passed, failed or was skipped.'),
  details: z.unknown().optional(),
});

const databaseSchema = z.object({
  source: z.string().describe('The database the backup was taken from.'),
  scratch: z.string().optional().describe('The scratch database it was restored into (dropped afterwards).'),
  collections: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['document', 'edge']),
      expected: z
        .number()
        .int()
        .describe('Documents per the manifest, or per the data files of a plain dump.'),
      restored: z.number().int().optional(),
    }),
  ),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
});

export const verifyResultSchema = z
  .object({
    schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
    tool: z.object({ name: z.literal('arangops'), version: z.string() }),
    verdict: z.enum(['pass', 'fail']).describe('fail when any check failed.'),
    backup: z.object({
      id: z.string(),
      kind: z.enum(['arangops', 'arangodump']),
      location: z.string(),
      startedAt: z.iso.datetime().optional(),
      ageSeconds: z.number().int().optional(),
    }),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    restored: z.boolean(),
    restoredDocuments: z.number().int(),
    databases: z.array(databaseSchema),
    checks: z.array(checkSchema),
    phases: z
      .partialRecord(z.enum(['download', 'decrypt', 'cheap', 'restore', 'checks', 'cleanup']), z.number())
      .describe('Seconds per phase; restore is the measured RTO.'),
    janitor: z
      .object({ dropped: z.array(z.string()), kept: z.array(z.string()), unregistered: z.array(z.string()) })
      .optional(),
  })
  .describe('arangops verification result');

export type VerifyResult = z.infer<typeof verifyResultSchema>;
export type DatabaseResult = z.infer<typeof databaseSchema>;

export function verifyResultJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(verifyResultSchema, { io: 'output' }) as Record<string, unknown>;
}
