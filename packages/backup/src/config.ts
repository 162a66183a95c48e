/** The config sections of the backup package: a light entry point the CLI loads at start. */
export { type ReportConfig, reportConfigSchema } from './report/config.js';
export { type VerifyConfig, verifyConfigSchema } from './verify/config.js';
