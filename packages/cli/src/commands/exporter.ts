import type { ExpositionFormat } from '@arangops/exporter';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { type ListenAddress, listenOption } from '../listen.js';
import { untilSignal } from '../signals.js';

export function exporterCommand(ctx: CliContext): Command {
  return new Command('exporter')
    .description(
      'serve Prometheus metrics: cluster health, collections and indexes, profile AQL metrics, job results',
    )
    .option('--once', 'collect once, print the page to stdout and exit')
    .option('--openmetrics', 'with --once: print OpenMetrics text instead of the Prometheus text format')
    .addOption(listenOption('exporter.host'))
    .action(async (opts: { once?: boolean; openmetrics?: boolean; listen?: ListenAddress }) => {
      const { loadProfile } = await import('@arangops/schema/profile');
      const { warnIfPrivileged, wireExporter } = await import('../exporter-wiring.js');
      const loaded = await loadProfile(ctx.config().schema.profileDir);
      const { exporter, close } = wireExporter(ctx, ctx.connection(), loaded, { ...opts.listen });
      try {
        await warnIfPrivileged(ctx, ctx.connection());
        if (opts.once) {
          // start() checks too; a profile query that would write is refused before anything runs.
          await exporter.checkProfile();
          const format: ExpositionFormat = opts.openmetrics ? 'openmetrics' : 'text';
          ctx.output.print(await exporter.collect(format));
          return;
        }
        const server = await exporter.start();
        await untilSignal();
        ctx.logger().info('shutting down');
        await server.close();
      } finally {
        close();
      }
    });
}
