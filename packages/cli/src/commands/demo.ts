/**
 * `npm start`: the suite end to end on an embedded ArangoDB simulator, or
 * against a real server when one is configured (ARANGO_URL). Against a real
 * server it changes nothing: bootstrap runs as a dry run.
 */
import { randomBytes } from 'node:crypto';
import {
  type ArangoConnection,
  arangoConfigSchema,
  createArangoConnection,
  InputError,
} from '@arangops/core';
import type { LoadedProfile } from '@arangops/schema';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { untilSignal } from '../signals.js';
import { loadSimulator } from '../simulator.js';

// The engines are loaded when the demo runs, not when the CLI starts.
const schema = () => import('@arangops/schema');
const exporterWiring = () => import('../exporter-wiring.js');
const demoBackup = () => import('./demo-backup.js');
const demoVerify = () => import('./demo-verify.js');

/** Families worth a first look, a few samples each; the full page is at /metrics. */
const PAGE_SAMPLE =
  /^(arangops_up|arangops_cluster_member_status\{.*status="GOOD"|arangops_index_present|codevaldcortex_agents\{|arangops_last_run_success)/;
const SAMPLES_PER_FAMILY = 4;

export function demoCommand(ctx: CliContext): Command {
  return new Command('demo')
    .description(
      'what `npm start` runs: bootstrap, drift and the exporter on an embedded simulator (or ARANGO_URL)',
    )
    .option('--once', 'show everything once and exit instead of serving the exporter')
    .action(async (opts: { once?: boolean }) => {
      const config = ctx.config();
      const loaded = await (await schema()).loadProfile(config.schema.profileDir);
      const say = (text: string) => ctx.output.print(text);
      const real = config.arango.url.join() !== arangoConfigSchema.parse({}).url.join();

      const sim = real
        ? undefined
        : await (await loadSimulator()).startSimulator({ mode: 'cluster', version: '3.12.10', seed: true });
      const connection = sim
        ? createArangoConnection({ ...config.arango, url: [sim.url] }, { logger: ctx.logger() })
        : ctx.connection();
      try {
        say(
          sim
            ? `# arangops demo\nArangoDB simulator ${sim.version} (3 agents, 3 DB servers, 3 coordinators) at ${sim.url}, seeded with CodeValdCortex data.\n`
            : `# arangops demo against ${config.arango.url.join(', ')} (read-only: bootstrap is a dry run)\n`,
        );
        await bootstrapStep(ctx, connection, loaded, !sim, say);
        await driftStep(ctx, connection, loaded, say, 'Drift: the live database against the profile');
        if (sim) {
          await changeByHand(connection);
          say(
            '\nSomeone changes the database by hand: an extra index, waitForSync on, a declared index dropped.',
          );
          await driftStep(ctx, connection, loaded, say, 'Drift after the manual change');
          const backup = await (await demoBackup()).backupStep(ctx, connection, 'codevaldcortex', say);
          try {
            await (await demoVerify()).demoVerifyStep(ctx, { connection, ...backup, profile: loaded, say });
          } finally {
            backup.store.close();
          }
        }
        await exporterStep(ctx, connection, loaded, opts.once === true, say);
      } finally {
        if (sim) {
          connection.close();
          await sim.stop();
        }
      }
    });
}

async function bootstrapStep(
  ctx: CliContext,
  connection: ArangoConnection,
  loaded: LoadedProfile,
  dryRun: boolean,
  say: (text: string) => void,
): Promise<void> {
  // The simulator's users get throw-away passwords; a real bootstrap reads them from the environment.
  const env = dryRun
    ? ctx.env
    : {
        ...ctx.env,
        ARANGOPS_USER_EXPORTER_PASSWORD: randomBytes(12).toString('base64url'),
        ARANGOPS_USER_BACKUP_PASSWORD: randomBytes(12).toString('base64url'),
        ARANGOPS_USER_VERIFY_PASSWORD: randomBytes(12).toString('base64url'),
      };
  const { renderBootstrapPlan, runBootstrap, runRecordOf } = await schema();
  const result = await runBootstrap({ connection, profile: loaded, dryRun, env, waitTimeoutMs: 30_000 });
  say(renderBootstrapPlan(result.plan, dryRun ? '## Bootstrap plan (dry run)' : '## Bootstrap'));
  if (!dryRun) await ctx.runRecords().write(runRecordOf('bootstrap', result.report));
}

async function driftStep(
  ctx: CliContext,
  connection: ArangoConnection,
  loaded: LoadedProfile,
  say: (text: string) => void,
  heading: string,
): Promise<void> {
  const { renderDriftReport, runDrift, runRecordOf } = await schema();
  const report = await runDrift({ connection, profile: loaded });
  say(`\n## ${heading}\n`);
  say(renderDriftReport(report, 'text', { color: process.stdout.isTTY === true && !ctx.env.NO_COLOR }));
  await ctx.runRecords().write(runRecordOf('drift', report));
}

async function changeByHand(connection: ArangoConnection): Promise<void> {
  const db = connection.database('codevaldcortex');
  await db
    .collection('agents')
    .ensureIndex({ type: 'persistent', fields: ['name'], name: 'idx_manual_name' });
  await db.collection('workflow_executions').properties({ waitForSync: true });
  await db.collection('agent_communications').dropIndex('idx_comms_messageType');
}

async function exporterStep(
  ctx: CliContext,
  connection: ArangoConnection,
  loaded: LoadedProfile,
  once: boolean,
  say: (text: string) => void,
): Promise<void> {
  const { wireExporter } = await exporterWiring();
  let wired = wireExporter(ctx, connection, loaded);
  try {
    const page = await wired.exporter.collect();
    const perFamily = new Map<string, number>();
    const sample = page.split('\n').filter((line) => {
      if (!PAGE_SAMPLE.test(line)) return false;
      const family = line.split(/[{ ]/)[0]!;
      const seen = (perFamily.get(family) ?? 0) + 1;
      perFamily.set(family, seen);
      return seen <= SAMPLES_PER_FAMILY || line.includes('} 0');
    });
    say(`\n## Exporter: a sample of the page (${page.split('\n').length} lines in all)\n`);
    say(sample.join('\n'));
    if (once) return;
    let server: Awaited<ReturnType<typeof wired.exporter.start>>;
    try {
      server = await wired.exporter.start();
    } catch (e) {
      if (!(e instanceof InputError && (e.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE'))
        throw e;
      // Something else holds the configured port; a demo should still show the exporter.
      say(`\n${e.message}; the demo exporter takes a free port instead.`);
      wired.close();
      wired = wireExporter(ctx, connection, loaded, { port: 0 });
      server = await wired.exporter.start();
    }
    say(`\nExporter serving ${server.url}/metrics (also /healthz, /readyz). Ctrl-C to stop.`);
    await untilSignal();
    await server.close();
  } finally {
    wired.close();
  }
}
