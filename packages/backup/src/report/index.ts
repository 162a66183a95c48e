export { ADVICE, type Advice, adviceForCheck, RUNBOOK_PATH, runbookLink } from './advice.js';
export { buildRunReport, buildWeeklyReport, TREND_WEEKS, verificationEntry } from './build.js';
export { type ReportConfig, reportConfigSchema } from './config.js';
export { formatAge, formatBytes, formatSeconds } from './format.js';
export { runReportHtml, TREND_CHARTS, weeklyReportHtml } from './html.js';
export type { ReportInputs, ReportOptions, StoredResult, StoredRun } from './inputs.js';
export { type IsoWeek, isoWeekOf, lastCompleteWeek, parseIsoWeek, weeksEndingWith } from './iso-week.js';
export { type LoadOptions, loadReportInputs, parseResult, readStoredResult } from './load.js';
export { runReportMarkdown, weeklyReportMarkdown } from './markdown.js';
export {
  type BackupEntry,
  type Problem,
  REPORT_SCHEMA_VERSION,
  type Report,
  type RunReport,
  runReportJsonSchema,
  runReportSchema,
  type TrendPoint,
  type VerificationEntry,
  type WeeklyReport,
  weeklyReportJsonSchema,
  weeklyReportSchema,
} from './schema.js';
export { postWebhook, sendReportSummary, WebhookError, webhookSummary } from './webhook.js';
export {
  type ReportFiles,
  type WriteReportOptions,
  type WrittenReport,
  writeRunReport,
  writeWeeklyReport,
} from './write.js';
