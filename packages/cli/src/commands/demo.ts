/**
 * `npm start`: the suite end to end on an embedded ArangoDB simulator, or
 * against a real server when one is configured (ARANGO_URL). Against a real
 * server it changes nothing: bootstrap runs as a dry run and no backup is taken.
 */
import { randomBytes } from 'node:crypto';
import { type ArangoConnection, arangoConfigSchema, createArangoConnection } from '@arangops/core';
import { exporterConfigSchema } from '@arangops/exporter/config';
import type { DriftReport, LoadedProfile } from '@arangops/schema';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { type ListenAddress, listenOption } from '../listen.js';
import { loadSimulator } from '../simulator.js';
import type { DemoOutcome } from './demo-serve.js';

// The engines are loaded when the demo runs, not when the CLI starts.
const schema = () => import('@arangops/schema');
const exporterWiring = () => import('../exporter-wiring.js');
const demoBackup = () => import('./demo-backup.js');
const demoVerify = () => import('./demo-verify.js');
const demoServe = () => import('./demo-serve.js');

/** Families worth a first look, a few samples each; the full page is at /metrics. */
const PAGE_SAMPLE =
  /^(arangops_up|arangops_cluster_member_status\{.*status="GOOD"|arangops_index_present|codevaldcortex_agents\{|arangops_last_run_success)/;
const SAMPLES_PER_FAMILY = 4;
/** A demo is for the person at this machine: it serves on loopback unless told another address. */
const DEMO_HOST = '127.0.0.1';

export function demoCommand(ctx: CliContext): Command {
  return new Command('demo')
    .description(
      'what `npm start` runs: bootstrap, drift, a backup, its verification and reports on an embedded simulator (or ARANGO_URL, read-only), then the exporter and the jobs process served until Ctrl-C',
    )
    .option('--once', 'show everything once and exit instead of serving')
    .addOption(listenOption(DEMO_HOST))
    .action(async (opts: { once?: boolean; listen?: ListenAddress }) => {
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
        await bootstrapStep(ctx, connection, loaded, { dryRun: !sim }, say);
        let drift = await driftStep(
          ctx,
          connection,
          loaded,
          say,
          'Drift: the live database against the profile',
        );
        // The profile's (first) database is the one the demo seeds, backs up and verifies.
        const database = config.backup.database ?? Object.keys(loaded.profile.databases)[0]!;
        const outcome: DemoOutcome = { database, drift };
        if (sim) {
          await changeByHand(connection);
          say(
            '\nSomeone changes the database by hand: an extra index, waitForSync on, a declared index dropped.',
          );
          await driftStep(ctx, connection, loaded, say, 'Drift after the manual change');
          // The backup that follows is verified against the profile too, so the demo repairs first.
          await bootstrapStep(ctx, connection, loaded, { allowDestructive: true }, say);
          drift = await driftStep(ctx, connection, loaded, say, 'Drift after bootstrap --allow-destructive');
          const backup = await (await demoBackup()).backupStep(ctx, connection, database, say);
          try {
            const verification = await (await demoVerify()).demoVerifyStep(ctx, {
              connection,
              ...backup,
              profile: loaded,
              say,
            });
            Object.assign(outcome, { drift, backup, verification });
          } finally {
            backup.store.close();
          }
        }
        await pageSample(ctx, connection, loaded, say);
        if (opts.once) return;
        // exporter.host defaults to every interface, as a deployed exporter needs; a demo keeps to loopback.
        const host =
          opts.listen?.host ??
          (config.exporter.host === exporterConfigSchema.parse({}).host ? DEMO_HOST : config.exporter.host);
        const address = { host, port: opts.listen?.port ?? config.exporter.port };
        await (await demoServe()).serveDemo(ctx, connection, loaded, outcome, address, say);
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
  { dryRun = false, allowDestructive = false }: { dryRun?: boolean; allowDestructive?: boolean },
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
  const result = await runBootstrap({
    connection,
    profile: loaded,
    dryRun,
    allowDestructive,
    env,
    waitTimeoutMs: 30_000,
  });
  const heading = dryRun
    ? '## Bootstrap plan (dry run)'
    : allowDestructive
      ? '\n## Bootstrap --allow-destructive: back to the profile'
      : '## Bootstrap';
  say(renderBootstrapPlan(result.plan, heading));
  if (!dryRun) await ctx.runRecords().write(runRecordOf('bootstrap', result.report));
}

async function driftStep(
  ctx: CliContext,
  connection: ArangoConnection,
  loaded: LoadedProfile,
  say: (text: string) => void,
  heading: string,
): Promise<DriftReport> {
  const { renderDriftReport, runDrift, runRecordOf } = await schema();
  const report = await runDrift({ connection, profile: loaded });
  say(`\n## ${heading}\n`);
  say(renderDriftReport(report, 'text', { color: process.stdout.isTTY === true && !ctx.env.NO_COLOR }));
  await ctx.runRecords().write(runRecordOf('drift', report));
  return report;
}

async function changeByHand(connection: ArangoConnection): Promise<void> {
  const db = connection.database('codevaldcortex');
  await db
    .collection('agents')
    .ensureIndex({ type: 'persistent', fields: ['name'], name: 'idx_manual_name' });
  await db.collection('workflow_executions').properties({ waitForSync: true });
  await db.collection('agent_communications').dropIndex('idx_comms_messageType');
}

/** A few lines of the exporter's page: what a scrape would show, before anything is served. */
async function pageSample(
  ctx: CliContext,
  connection: ArangoConnection,
  loaded: LoadedProfile,
  say: (text: string) => void,
): Promise<void> {
  const { wireExporter } = await exporterWiring();
  const wired = wireExporter(ctx, connection, loaded);
  try {
    const page = await wired.exporter.collect();
    const perFamily = new Map<string, number>();
    const sample = page.split('\n').filter((line) => {
      if (!PAGE_SAMPLE.test(line)) return false;
      const family = line.split(/[{ ]/)[0]!;
      const seen = (perFamily.get(family) ?? 0) + 1;
      perFamily.set(family, seen);
      // A missing index is worth showing in full; zero counts of known states are not.
      return seen <= SAMPLES_PER_FAMILY || (family === 'arangops_index_present' && line.includes('} 0'));
    });
    say(`\n## Exporter: a sample of the page (${page.split('\n').length} lines in all)\n`);
    say(sample.join('\n'));
  } finally {
    wired.close();
  }
}
