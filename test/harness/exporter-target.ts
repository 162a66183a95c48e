/**
 * The exporter against the simulator (or ARANGO_URL) as the integration tests start it: the
 * profile bootstrapped, the exporter connected as its own read-only user, a backup run record.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Simulator, SimulatorOptions } from '@arangops/arangodb-sim';
import {
  type ArangoConnection,
  createArangoConnection,
  createLocalRunRecordStore,
  createLogger,
  type RunRecordStore,
} from '@arangops/core';
import {
  createExporter,
  type ExporterConfig,
  type ExporterOptions,
  exporterConfigSchema,
  parseExposition,
} from '@arangops/exporter';
import { DEFAULT_PROFILE_DIR, declaredIndexes, loadProfile, runBootstrap } from '@arangops/schema';
import { afterAll, beforeAll } from 'vitest';
import { arangoTarget } from './arango-target.js';
import { tempDir } from './temp-dir.js';
import { requireTool, type SkippableTest } from './tools.js';

export const METRICS_FILE = join(DEFAULT_PROFILE_DIR, 'metrics.yaml');
const EXPORTER_USER = 'arangops-exporter';
export const PASSWORDS = {
  ARANGOPS_USER_EXPORTER_PASSWORD: 'exporter-pw',
  ARANGOPS_USER_BACKUP_PASSWORD: 'backup-pw',
  ARANGOPS_USER_VERIFY_PASSWORD: 'verify-pw',
};
export const logger = createLogger({ level: 'silent' });

export interface Target {
  url: string;
  sim?: Simulator;
  /** The exporter's own read-only user, as the profile declares it. */
  exporterConnection: ArangoConnection;
  runRecords: RunRecordStore;
  /** A new root connection to the profile's database (close it). */
  root(): ArangoConnection;
  stop(): Promise<void>;
}

/** A simulated cluster (or ARANGO_URL), bootstrapped with the profile and holding a backup run record. */
export async function startTarget(
  version: string,
  mode: 'cluster' | 'single' = 'cluster',
  options: Pick<SimulatorOptions, 'seed' | 'ttlIntervalMs'> = { seed: true },
): Promise<Target> {
  const arango = await arangoTarget({ mode, version, ...options });
  const root = createArangoConnection(arango.config({ database: 'codevaldcortex' }), { logger });
  const { profile } = await loadProfile(DEFAULT_PROFILE_DIR).then((p) => ({ profile: p }));
  await runBootstrap({ connection: root, profile, waitTimeoutMs: 10_000, env: PASSWORDS, logger });
  root.close();
  const runRecords = createLocalRunRecordStore(tempDir('exporter-runs'));
  await runRecords.write({
    job: 'backup',
    success: true,
    startedAt: '2026-01-01T02:00:00.000Z',
    finishedAt: '2026-01-01T02:01:30.000Z',
    durationSeconds: 90,
    summary: { collections: 3, documents: 3200 },
  });
  const exporterConnection = createArangoConnection(
    arango.config({
      database: 'codevaldcortex',
      username: EXPORTER_USER,
      password: PASSWORDS.ARANGOPS_USER_EXPORTER_PASSWORD,
      retries: { max: 0, baseDelayMs: 50, maxDelayMs: 200 },
    }),
    { logger },
  );
  return {
    url: arango.url,
    ...(arango.sim ? { sim: arango.sim } : {}),
    exporterConnection,
    runRecords,
    root: () => createArangoConnection(arango.config({ database: 'codevaldcortex' }), { logger }),
    async stop() {
      exporterConnection.close();
      await arango.stop();
    },
  };
}

/**
 * Every collector on, with budgets far above the production defaults: on a loaded CI machine a
 * 5 s budget can run out and leave a metric off the page. Budget tests set their own.
 */
export function allCollectors(overrides: Record<string, Record<string, unknown>> = {}): ExporterConfig {
  const generous = { timeoutMs: 60_000 };
  const collectors: Record<string, Record<string, unknown>> = {
    cluster: generous,
    serverMetrics: { ...generous, enabled: true },
    collections: generous,
    aql: generous,
    suite: generous,
  };
  for (const [name, settings] of Object.entries(overrides))
    collectors[name] = { ...collectors[name], ...settings };
  return exporterConfigSchema.parse({ collectors });
}

export async function exporterFor(
  target: Target,
  config = allCollectors(),
  extra: Partial<ExporterOptions> = {},
) {
  const { profile } = await loadProfile(DEFAULT_PROFILE_DIR);
  return createExporter({
    config,
    connection: target.exporterConnection,
    logger,
    runRecords: target.runRecords,
    metricsFile: METRICS_FILE,
    declaredIndexes: declaredIndexes(profile),
    ...extra,
  });
}

export function sampleValue(
  page: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = parseExposition(page).find((f) => f.name === name);
  return family?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** promtool's verdict on a page; without promtool (outside CI) the test, run this far, is marked skipped. */
export function promtoolCheck(page: string, test: SkippableTest): { status: number | null; output: string } {
  const promtool = requireTool('promtool', 'checking the exporter page', test);
  const run = spawnSync(promtool, ['check', 'metrics'], { input: page, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** A target started before the suite's tests and stopped after them. */
export function useTarget(...args: Parameters<typeof startTarget>): () => Target {
  let target: Target | undefined;
  beforeAll(async () => {
    target = await startTarget(...args);
  }, 120_000);
  afterAll(async () => {
    await target?.stop();
  });
  return () => target as Target;
}
