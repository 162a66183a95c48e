import type { ArangoConnection, Logger, RunRecordStore } from '@arangops/core';
import type { ExporterConfig } from './config.js';
import type { ExpositionFormat } from './exposition/types.js';

export type {
  ByteFamily,
  ExpositionFormat,
  Labels,
  MetricFamily,
  MetricType,
  Sample,
} from './exposition/types.js';

/** The `collector` label values, one per collector. */
export type CollectorName = 'cluster' | 'server_metrics' | 'collections' | 'aql' | 'suite';

/** An index the profile declares, by name (`declaredIndexes()` of @arangops/schema has this shape). */
export interface DeclaredIndex {
  /** Default: the database of the ArangoDB connection. */
  database?: string;
  collection: string;
  index: string;
}

/** An agent scraped directly (a coordinator cannot proxy agent metrics). */
export interface AgentConnection {
  /** The agent's base URL, as configured. */
  endpoint: string;
  connection: ArangoConnection;
}

export interface ExporterOptions {
  /** The validated `exporter` config section. */
  config: ExporterConfig;
  connection: ArangoConnection;
  logger: Logger;
  /** Where jobs record their last result; without it the suite collector is off. */
  runRecords?: RunRecordStore;
  /** The profile's metrics.yaml; without it the aql collector is off. */
  metricsFile?: string;
  /** Indexes the profile declares, for `arangops_index_present`. */
  declaredIndexes?: DeclaredIndex[];
  /** Connections to agents for the server_metrics collector (from `collectors.serverMetrics.agentEndpoints`). */
  agents?: AgentConnection[];
  /** Clock in milliseconds; tests pass a fake one. */
  now?: () => number;
}

export interface Exporter {
  /** Runs (or joins the running) collection and renders the page in the given format (default: text). */
  collect(format?: ExpositionFormat): Promise<string>;
  /** Explains every profile query; rejects with an InputError naming the metric when one would write. */
  checkProfile(): Promise<void>;
  /** Serves /metrics, /healthz and /readyz on the configured host and port. */
  start(): Promise<{ url: string; close(): Promise<void> }>;
}
