import { join } from 'node:path';
import { createArangoConnection, startTelemetry } from '@arangops/core';
import { createExporter, type ExpositionFormat } from '@arangops/exporter';
import { declaredIndexes, loadProfile } from '@arangops/schema';
import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** The profile file the aql collector reads unless `exporter.collectors.aql.metricsFile` says otherwise. */
const PROFILE_METRICS_FILE = 'metrics.yaml';

export function exporterCommand(ctx: CliContext): Command {
  return new Command('exporter')
    .description(
      'serve Prometheus metrics: cluster health, collections and indexes, profile AQL metrics, job results',
    )
    .option('--once', 'collect once, print the page to stdout and exit')
    .option('--openmetrics', 'with --once: print OpenMetrics text instead of the Prometheus text format')
    .action(async (opts: { once?: boolean; openmetrics?: boolean }) => {
      const config = ctx.config();
      const logger = ctx.logger();
      const { profile } = await loadProfile(config.schema.profileDir);
      const agents = config.exporter.collectors.serverMetrics.enabled
        ? config.exporter.collectors.serverMetrics.agentEndpoints.map((endpoint) => ({
            endpoint,
            connection: createArangoConnection({ ...config.arango, url: [endpoint] }, { logger }),
          }))
        : [];
      const exporter = createExporter({
        config: config.exporter,
        connection: ctx.connection(),
        logger,
        runRecords: ctx.runRecords(),
        metricsFile: join(config.schema.profileDir, PROFILE_METRICS_FILE),
        declaredIndexes: declaredIndexes(profile),
        agents,
      });
      try {
        if (opts.once) {
          const format: ExpositionFormat = opts.openmetrics ? 'openmetrics' : 'text';
          ctx.output.print(await exporter.collect(format));
          return;
        }
        const telemetry = await startTelemetry('arangops-exporter');
        const server = await exporter.start();
        await new Promise<void>((resolve) => {
          process.once('SIGTERM', resolve);
          process.once('SIGINT', resolve);
        });
        logger.info('shutting down');
        await server.close();
        await telemetry.shutdown();
      } finally {
        for (const agent of agents) agent.connection.close();
      }
    });
}
