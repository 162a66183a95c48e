import { z } from 'zod';
import { RUNBOOK_PATH } from './advice.js';

/** The `report` section of the arangops configuration. */
export const reportConfigSchema = z
  .strictObject({
    dir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Folder the reports are also written to (JSON, Markdown, HTML), beside the store’s reports/.',
      ),
    webhookUrl: z
      .url()
      .optional()
      .meta({ secret: true })
      .describe('Slack-compatible incoming webhook the report summary is POSTed to.'),
    runbookBase: z
      .string()
      .min(1)
      .default(RUNBOOK_PATH)
      .describe('Where docs/runbooks.md is published; the reports link its sections from there.'),
  })
  .prefault({});

export type ReportConfig = z.infer<typeof reportConfigSchema>;
