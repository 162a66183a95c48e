export {
  CHECKS_FILE,
  type ChecksFile,
  checksFileSchema,
  loadChecksFile,
  parseChecksFile,
  type QueryCheck,
} from './checks-file.js';
export { DEFAULT_JANITOR_MAX_AGE_MS, type VerifyConfig, verifyConfigSchema } from './config.js';
export { type JanitorResult, runJanitor } from './janitor.js';
export { acquireLease, defaultHolder, type Lease, type LeaseInfo, LockHeldError } from './lock.js';
export { renderVerifyResult } from './render.js';
export {
  type DatabaseResult,
  RESULT_SCHEMA_VERSION,
  type VerifyResult,
  verifyResultJsonSchema,
  verifyResultSchema,
} from './result.js';
export { writeResult } from './results.js';
export { type BackupUnderTest, runVerify, type VerifyOptions } from './run.js';
export {
  assertScratchTarget,
  dropScratchDatabase,
  LEASE_DATABASE,
  registerScratchDatabase,
  scratchDatabaseName,
} from './scratch.js';
export type { CheckResult, CheckStatus, Phase } from './types.js';
