/**
 * The chart's rule files as a real Prometheus (Debian's 2.42) loads them without Kubernetes
 * (`rule_files:`), evaluated against a real scrape of the exporter with its merged server
 * metrics: every rule evaluates without error on the real label sets, and a member the
 * simulator declares FAILED makes ArangoOpsMemberFailed pending.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createArangoConnection, createLogger } from '@arangops/core';
import { createExporter, exporterConfigSchema } from '@arangops/exporter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget } from '../harness/arango-target.js';
import { type RunningPrometheus, startPrometheus } from '../harness/prometheus.js';
import { requireTool } from '../harness/tools.js';
import { RULES_DIR, ruleFiles } from './expressions.js';

interface RulesAnswer {
  data: {
    groups: {
      name: string;
      rules: { name: string; health: string; lastError?: string; lastEvaluation: string }[];
    }[];
  };
}
interface AlertsAnswer {
  data: { alerts: { labels: Record<string, string>; state: string }[] };
}

describe('the rule files in a real Prometheus, on a real exporter page', () => {
  const prometheusBinary = requireTool('prometheus', 'loading the alert rules in a real Prometheus');
  let arango: ArangoTarget | undefined;
  let prometheus: RunningPrometheus | undefined;
  let closeExporter: (() => Promise<void>) | undefined;
  const logger = createLogger({ level: 'silent' });

  beforeAll(async () => {
    if (!prometheusBinary) return;
    arango = await arangoTarget({ mode: 'cluster' });
    await arango.sim?.faults.setMemberStatus('DBServer0002', 'FAILED');
    const exporter = createExporter({
      config: exporterConfigSchema.parse({
        host: '127.0.0.1',
        port: 0,
        collectors: { serverMetrics: { enabled: true } },
      }),
      connection: createArangoConnection(arango.config(), { logger }),
      logger,
    });
    const server = await exporter.start();
    closeExporter = server.close;

    prometheus = await startPrometheus(prometheusBinary, {
      targets: { 'arangops-exporter': new URL(server.url).host },
      ruleFiles: ruleFiles().map((f) => join(RULES_DIR, f.file)),
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await closeExporter?.();
    await arango?.stop();
  });

  const until = <T>(path: string, done: (answer: T) => boolean) => {
    if (!prometheus) throw new Error('Prometheus did not start');
    return prometheus.until(path, done);
  };

  it('loads every group and evaluates every rule without error, after scrapes of the page', {
    timeout: 60_000,
  }, async () => {
    if (!prometheusBinary) return;
    // Two evaluations after the first scrape, so every rule has run on real series.
    await until<{ data: { result: unknown[] } }>(
      `/api/v1/query?query=${encodeURIComponent('count_over_time(arangops_up[1m]) > 2')}`,
      (a) => a.data.result.length > 0,
    );
    await sleep(2_000);
    const rules = await until<RulesAnswer>('/api/v1/rules', (a) =>
      a.data.groups.every((g) => g.rules.every((r) => !r.lastEvaluation.startsWith('0001'))),
    );
    expect(rules.data.groups.map((g) => g.name).sort()).toEqual(
      ruleFiles()
        .flatMap((f) => f.groups.map((g) => g.name))
        .sort(),
    );
    const unhealthy = rules.data.groups.flatMap((g) =>
      g.rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`),
    );
    expect(unhealthy).toEqual([]);
  });

  it('a FAILED DB-Server makes ArangoOpsMemberFailed pending; the exporter alerts stay quiet', {
    timeout: 60_000,
  }, async () => {
    if (!prometheusBinary || !arango?.sim) return; // a real ArangoDB cannot be failed on purpose
    const alerts = await until<AlertsAnswer>('/api/v1/alerts', (a) =>
      a.data.alerts.some((x) => x.labels.alertname === 'ArangoOpsMemberFailed'),
    );
    const failed = alerts.data.alerts.filter((a) => a.labels.alertname === 'ArangoOpsMemberFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.labels).toMatchObject({ role: 'PRIMARY', severity: 'critical' });
    const names = new Set(alerts.data.alerts.map((a) => a.labels.alertname));
    for (const quiet of [
      'ArangoOpsArangoDBUnreachable',
      'ArangoOpsExporterDown',
      'ArangoOpsExporterAbsent',
    ]) {
      expect(names, quiet).not.toContain(quiet);
    }
  });
});
