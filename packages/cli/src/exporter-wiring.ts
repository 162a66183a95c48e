import { join } from 'node:path';
import { type ArangoConnection, createArangoConnection, toArangopsError } from '@arangops/core';
import { createExporter, type Exporter, type ExporterConfig } from '@arangops/exporter';
import type { LoadedProfile } from '@arangops/schema';
import { declaredIndexes } from '@arangops/schema/profile';
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
  // Validated by the config schema: no credentials in these URLs (they would reach labels and logs).
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

/**
 * The exporter needs read access only (the profile's `arangops-exporter` user). Connected as
 * root, or as a user with rw on the database it reads, a profile query or a bug could change
 * data on every scrape: say so loudly at start. Never fatal: the check itself may be refused.
 */
export async function warnIfPrivileged(ctx: CliContext, connection: ArangoConnection): Promise<void> {
  const { arango } = ctx.config();
  const logger = ctx.logger();
  const advice = 'connect the exporter as a read-only user (the profile declares arangops-exporter)';
  if (arango.jwtFile) {
    logger.warn(
      { security: true },
      `the exporter authenticates with a JWT, which may be a superuser token: ${advice}`,
    );
    return;
  }
  if (arango.username === 'root') {
    logger.warn(
      { security: true },
      `the exporter connects as root, with write access to every database: ${advice}`,
    );
    return;
  }
  const db = connection.database();
  try {
    const { result } = (await db.request({
      pathname: `/_api/user/${encodeURIComponent(arango.username)}/database/${encodeURIComponent(db.name)}`,
    })) as { result?: unknown };
    if (result === 'rw') {
      logger.warn(
        { security: true, user: arango.username, database: db.name },
        `the exporter's user has rw access to the database it reads: ${advice}`,
      );
    }
  } catch (e) {
    logger.debug({ err: toArangopsError(e).message }, "could not read the exporter user's access level");
  }
}
