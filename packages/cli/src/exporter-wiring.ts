import { join } from 'node:path';
import { type ArangoConnection, createArangoConnection } from '@arangops/core';
import { createExporter, type Exporter, type ExporterConfig } from '@arangops/exporter';
import { declaredIndexes, type LoadedProfile } from '@arangops/schema';
import type { CliContext } from './context.js';

/** The profile file the aql collector reads unless `exporter.collectors.aql.metricsFile` says otherwise. */
const PROFILE_METRICS_FILE = 'metrics.yaml';

export interface WiredExporter {
  exporter: Exporter;
  /** Closes the extra connections to agents. */
  close(): void;
}

/**
 * Builds the exporter from config and the profile: the profile supplies the
 * metrics file, the indexes to watch and, unless configured, the databases.
 */
export function wireExporter(
  ctx: CliContext,
  connection: ArangoConnection,
  loaded: LoadedProfile,
  overrides: Partial<ExporterConfig> = {},
): WiredExporter {
  const config = ctx.config();
  const logger = ctx.logger();
  const serverMetrics = config.exporter.collectors.serverMetrics;
  const agents = serverMetrics.enabled
    ? serverMetrics.agentEndpoints.map((endpoint) => ({
        endpoint,
        connection: createArangoConnection({ ...config.arango, url: [endpoint] }, { logger }),
      }))
    : [];
  const databases =
    config.exporter.databases.length > 0 ? config.exporter.databases : Object.keys(loaded.profile.databases);
  const exporter = createExporter({
    config: { ...config.exporter, databases, ...overrides },
    connection,
    logger,
    runRecords: ctx.runRecords(),
    metricsFile: join(loaded.dir, PROFILE_METRICS_FILE),
    declaredIndexes: declaredIndexes(loaded.profile),
    agents,
  });
  return {
    exporter,
    close() {
      for (const agent of agents) agent.connection.close();
    },
  };
}
