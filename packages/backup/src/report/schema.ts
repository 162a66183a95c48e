/**
 * The report documents: the weekly report and the per-run report. The zod
 * schemas are the one source; `weekly-report.schema.json` and
 * `run-report.schema.json` beside the package are generated from them.
 */
import { z } from 'zod';
import { verifyResultSchema } from '../verify/result.js';

export const REPORT_SCHEMA_VERSION = 1;

const tool = z.object({ name: z.literal('arangops'), version: z.string() });

const checkEntry = z.object({
  name: z.string(),
  database: z.string().optional(),
  status: z.enum(['pass', 'fail', 'skipped']),
  reason: z.string().describe('Plain words: why it passed, failed or was skipped.'),
});

export const verificationEntrySchema = z.object({
  result: z.string().describe('Where the verification result is stored.'),
  backupId: z.string(),
  kind: z
    .enum(['full', 'cheap'])
    .describe('full: restored into a scratch database; cheap: stored objects only.'),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  verdict: z.enum(['pass', 'fail']),
  rtoSeconds: z.number().nonnegative().optional().describe('Seconds the restore took: the measured RTO.'),
  durationSeconds: z.number().nonnegative(),
  restoredDocuments: z.number().int(),
  backupAgeSeconds: z.number().int().optional().describe('Age of the backup when it was verified.'),
  checks: z.array(checkEntry),
});

export const backupEntrySchema = z.object({
  id: z.string(),
  database: z.string(),
  createdAt: z.iso.datetime(),
  complete: z.boolean().describe('A manifest commits it; an incomplete backup is never restored.'),
  problem: z.string().optional(),
  objects: z.number().int(),
  storedBytes: z.number().int(),
  durationSeconds: z.number().nonnegative().optional(),
  documents: z.number().int().optional(),
});

export const problemSchema = z.object({
  severity: z.enum(['fail', 'warn']),
  subject: z.string().describe('What failed, e.g. a check of one verification.'),
  reason: z.string().describe('Why, in plain words.'),
  action: z.string().describe('What to do about it.'),
  runbook: z
    .object({ section: z.string(), url: z.string() })
    .optional()
    .describe('The runbook section on this kind of failure.'),
});

const driftEntry = z.object({
  finishedAt: z.iso.datetime(),
  inSync: z.boolean(),
  items: z.number().int().describe('Drift items found.'),
  summary: z.record(z.string(), z.number()),
  message: z.string().optional(),
});

const failedRun = z.object({ task: z.string(), finishedAt: z.iso.datetime(), message: z.string() });

export const trendPointSchema = z.object({
  week: z.string().describe('ISO week, e.g. 2026-W49.'),
  rtoSeconds: z.number().nullable().describe('Longest restore of a full verification that week.'),
  backupBytes: z.number().int().nullable().describe('Stored size of the newest complete backup that week.'),
  backupSeconds: z.number().nullable().describe('Longest complete backup that week.'),
});

const verdict = z
  .enum(['pass', 'warn', 'fail'])
  .describe('fail when any problem is a failure; warn when there are only warnings.');

export const weeklyReportSchema = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    kind: z.literal('weekly'),
    tool,
    generatedAt: z.iso.datetime(),
    store: z.string(),
    week: z.string().describe('ISO week (Monday to Sunday, UTC), e.g. 2026-W49.'),
    from: z.iso.datetime().describe('Monday 00:00 UTC, inclusive.'),
    to: z.iso.datetime().describe('The next Monday 00:00 UTC, exclusive.'),
    verdict,
    problems: z.array(problemSchema).describe('Failures first; each with what to do.'),
    summary: z.object({
      backups: z.number().int(),
      completeBackups: z.number().int(),
      verifications: z.number().int(),
      fullVerifications: z.number().int(),
      failedVerifications: z.number().int(),
      driftRuns: z.number().int(),
      driftRunsWithFindings: z.number().int(),
      rpoSeconds: z.number().int(),
      oldestBackupAge: z
        .object({
          seconds: z.number().int(),
          at: z.iso.datetime(),
          backupId: z
            .string()
            .nullable()
            .describe('The newest backup at that moment; null when there was none.'),
        })
        .nullable()
        .describe('The oldest the newest complete backup got during the week: the worst recovery point.'),
    }),
    backups: z.array(backupEntrySchema),
    verifications: z.array(verificationEntrySchema),
    drift: z.array(driftEntry),
    failedRuns: z.array(failedRun),
    trends: z.array(trendPointSchema).describe('The 12 weeks ending with this one, oldest first.'),
    unreadable: z
      .array(z.object({ key: z.string(), reason: z.string() }))
      .describe('Stored files that could not be read.'),
  })
  .describe('arangops weekly backup and verification report');

export const runReportSchema = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    kind: z.literal('run'),
    tool,
    generatedAt: z.iso.datetime(),
    store: z.string(),
    verdict,
    problems: z.array(problemSchema),
    verification: verificationEntrySchema,
    databases: verifyResultSchema.shape.databases,
    phases: verifyResultSchema.shape.phases,
  })
  .describe('arangops report of one verification run');

export type WeeklyReport = z.infer<typeof weeklyReportSchema>;
export type RunReport = z.infer<typeof runReportSchema>;
export type Report = WeeklyReport | RunReport;
export type Problem = z.infer<typeof problemSchema>;
export type VerificationEntry = z.infer<typeof verificationEntrySchema>;
export type BackupEntry = z.infer<typeof backupEntrySchema>;
export type TrendPoint = z.infer<typeof trendPointSchema>;

export function weeklyReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(weeklyReportSchema, { io: 'output' }) as Record<string, unknown>;
}

export function runReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(runReportSchema, { io: 'output' }) as Record<string, unknown>;
}
