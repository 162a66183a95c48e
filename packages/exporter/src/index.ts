export type { Collector, CollectorContext } from './collector.js';
export { FamilyBuilder } from './collector.js';
export { SERVER_METRICS_PATH } from './collectors/server-metrics.js';
export { type ExporterConfig, exporterConfigSchema } from './config.js';
export { createExporter, EXPORTER_VERSION } from './exporter.js';
export { type MergeOptions, type MergePlan, type MergeResult, mergeExpositions } from './exposition/merge.js';
export { writeExposition } from './exposition/page-writer.js';
export { ExpositionParseError, parseExposition } from './exposition/parse.js';
export { type SplitBody, type SplitFamily, splitExposition, type Template } from './exposition/split.js';
export { CONTENT_TYPES, negotiateFormat } from './exposition/write.js';
export { ALL_METRICS, type MetricDefinition } from './metric-names.js';
export {
  loadMetricsFile,
  type MetricsFile,
  metricsFileSchema,
  type ProfileMetric,
  parseMetricsFile,
} from './profile/metrics-file.js';
export { bindVarsAt } from './profile/read-only.js';
export type * from './types.js';
