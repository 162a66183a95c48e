export { type ApplyOptions, applyBootstrap, indexBody } from './apply.js';
export { type RunBootstrapOptions, runBootstrap } from './bootstrap.js';
export { DRIFT_CLASSES } from './classes.js';
export { type SchemaConfig, schemaConfigSchema } from './config.js';
export { diffSchema, type SchemaDiff } from './diff.js';
export { buildReport, type DriftOptions, runDrift } from './drift.js';
export { INDEX_TYPES, LEGACY_INDEX_ALIASES } from './index-types.js';
export { inspectDatabase } from './inspect.js';
export { recordDriftMetrics, registerSchemaMetrics, SCHEMA_METRICS, type SchemaMetrics } from './metrics.js';
export { profileSchema } from './model.js';
export {
  normaliseAnalyzer,
  normaliseCollection,
  normaliseGrants,
  normaliseGraph,
  normaliseIndex,
  normaliseLiveCollection,
  normaliseLiveView,
  normaliseUser,
  normaliseView,
} from './normalise.js';
export { resolvePassword } from './passwords.js';
export { DEFAULT_PROFILE, DEFAULT_PROFILE_DIR, resolveProfileDir } from './paths.js';
export { planBootstrap } from './plan.js';
export * from './profile.js';
export { REPORT_FORMATS, type RenderOptions, renderBootstrapPlan, renderDriftReport } from './render.js';
export { failedRunRecord, runRecordOf } from './run-record.js';
export { assertScratchDatabaseName, SCRATCH_DATABASE_PREFIX } from './scratch.js';
export type * from './types.js';
export { type WaitOptions, waitForServer } from './wait.js';
