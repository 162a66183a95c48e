import { InputError } from '@arangops/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext } from '../context.js';
import { untilSignal } from '../signals.js';
import { loadSimulator } from '../simulator.js';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port 0-65535');
  return n;
}

export function simCommand(ctx: CliContext): Command {
  return new Command('sim')
    .description('run the in-memory ArangoDB simulator (tests, demos; never production)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', parsePort, 8529)
    .addOption(
      new Option('--mode <mode>', 'deployment to simulate').choices(['single', 'cluster']).default('cluster'),
    )
    .option('--server-version <version>', 'ArangoDB version to answer as (3.11.x or 3.12.x)', '3.12.10')
    .option('--seed', 'load CodeValdCortex-shaped demo data into the codevaldcortex database')
    .option('--root-password <password>', 'require authentication; root gets this password')
    .action(
      async (opts: {
        host: string;
        port: number;
        mode: 'single' | 'cluster';
        serverVersion: string;
        seed?: boolean;
        rootPassword?: string;
      }) => {
        const { startSimulator } = await loadSimulator();
        const sim = await startSimulator({
          host: opts.host,
          port: opts.port,
          mode: opts.mode,
          version: opts.serverVersion,
          seed: opts.seed === true,
          auth: opts.rootPassword ? { users: { root: opts.rootPassword } } : false,
        }).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EADDRINUSE') throw e;
          throw new InputError(`cannot listen on ${opts.host}:${opts.port}: address already in use`, {
            field: '--port',
          });
        });
        if (ctx.output.json) ctx.output.printJson({ url: sim.url, mode: sim.mode, version: sim.version });
        else ctx.output.print(`ArangoDB simulator ${sim.version} (${sim.mode}) listening on ${sim.url}`);
        await untilSignal();
        await sim.stop();
      },
    );
}
