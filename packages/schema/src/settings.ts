/**
 * The light entry point, `@arangops/schema/settings`: what the CLI needs to
 * declare its options and its config section, without loading the schema
 * engine (ajv, the planner, the differ). Commands import the package root in
 * their actions only.
 */
export { DRIFT_CLASSES } from './classes.js';
export { type SchemaConfig, schemaConfigSchema } from './config.js';
export { REPORT_FORMATS } from './render.js';
export type { DriftClass, ReportFormat } from './types.js';
