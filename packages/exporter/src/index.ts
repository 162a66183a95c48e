export { type ExporterConfig, exporterConfigSchema } from './config.js';
