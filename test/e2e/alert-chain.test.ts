/**
 * The used-by chain, for real: Prometheus (Debian's) loads the chart's rule files, scrapes
 * `arangops exporter` and `arangops jobs` (a verification every few seconds) beside a simulated
 * cluster, and sends its alerts to Alertmanager (Debian's), which forwards them to a webhook in
 * this test. Healthy, nothing fires; a corrupted latest backup fails its verification and
 * ArangoOpsVerificationFailed arrives with its summary and runbook; a FAILED DB-Server brings
 * ArangoOpsMemberFailed; a good backup and the DB-Server back resolve both.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { backupPrefix, openStore, readManifest } from '@arangops/backup';
import { awsConfigSchema } from '@arangops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKeyFile } from '../backup/helpers.js';
import { allRules, RULES_DIR } from '../chart/expressions.js';
import {
  type NotifiedAlert,
  type RunningAlertmanager,
  startAlertmanager,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../harness/alertmanager.js';
import { seededSim } from '../harness/backup-env.js';
import { runCli, spawnCli } from '../harness/cli.js';
import { broken, REPO_URL } from '../harness/markdown-links.js';
import { freePort } from '../harness/net.js';
import { stopProcess } from '../harness/process.js';
import { type RunningPrometheus, startPrometheus } from '../harness/prometheus.js';
import { tempDir } from '../harness/temp-dir.js';
import { REPO_ROOT, requireTool } from '../harness/tools.js';

const prometheusBinary = requireTool('prometheus', 'the alert chain test');
const alertmanagerBinary = requireTool('prometheus-alertmanager', 'the alert chain test');

/** The namespace label the Prometheus Operator puts on every target; the rules aggregate by it. */
const NAMESPACE = 'arangops-e2e';
const FAILED_MEMBER = 'DBServer0002';
const SCENARIO = ['ArangoOpsVerificationFailed', 'ArangoOpsMemberFailed'];

/**
 * The chart's rule files with every `for:` sixty times shorter (a minute becomes a second, as the
 * 1 s intervals here stand for a minute in production); every other byte is the chart's.
 */
function rulesWithShortFor(dir: string): string[] {
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.rules.yaml'))
    .map((file) => {
      const copy = join(dir, file);
      writeFileSync(
        copy,
        readFileSync(join(RULES_DIR, file), 'utf8').replace(
          /^(\s+for: )(\S+)$/gm,
          (_, key: string, duration: string) => `${key}${Math.max(1, seconds(duration) / 60)}s`,
        ),
      );
      return copy;
    });
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** Seconds of a Prometheus duration made of whole units (`5m`, `1h30m`, `2d`). */
function seconds(duration: string): number {
  const parts = [...duration.matchAll(/(\d+)([smhdwy])/g)];
  if (parts.map((p) => p[0]).join('') !== duration) throw new Error(`unexpected duration ${duration}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit as string]!, 0);
}

interface AlertsAnswer {
  data: { alerts: { labels: Record<string, string>; state: 'pending' | 'firing' }[] };
}
interface RulesAnswer {
  data: {
    groups: {
      rules: {
        name: string;
        duration: number;
        labels: Record<string, string>;
        annotations: Record<string, string>;
        lastEvaluation: string;
      }[];
    }[];
  };
}
interface QueryAnswer {
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.runIf(prometheusBinary && alertmanagerBinary)(
  'the alert chain: rules, Prometheus, Alertmanager, a webhook',
  () => {
    const work = tempDir('alert-chain');
    const children: ChildProcess[] = [];
    let sim: Awaited<ReturnType<typeof seededSim>> | undefined;
    let webhook: WebhookReceiver | undefined;
    let alertmanager: RunningAlertmanager | undefined;
    let prometheus: RunningPrometheus | undefined;
    const storeUrl = `file://${join(work, 'store')}`;
    let cliEnv: NodeJS.ProcessEnv = {};
    /** The id of the backup the test took last. */
    let latest = '';

    beforeAll(async () => {
      sim = await seededSim('cluster', '3.12.10', {
        agents: 30,
        executions: 40,
        communications: 80,
        seed: 15,
      });
      // The seed is a fixed snapshot from days ago; on a live platform the running agents beat and
      // the running executions are recent, so that the CodeValdCortex alerts have nothing to say.
      const db = sim.connection.database('codevaldcortex');
      await db.query(
        "FOR a IN agents FILTER a.status == 'running' UPDATE a WITH { metrics: { lastUpdated: DATE_ISO8601(DATE_NOW()) } } IN agents",
      );
      await db.query(
        "FOR e IN workflow_executions FILTER e.status == 'running' UPDATE e WITH { startTime: DATE_ISO8601(DATE_NOW()) } IN workflow_executions",
      );
      // And the TTL sweep has had its first run, as on a server up for longer than its 30 s period.
      sim.sim.state.runTtl();
      cliEnv = {
        ARANGO_URL: sim.sim.url,
        ARANGOPS_ARANGO_DATABASE: 'codevaldcortex',
        ARANGOPS_STORE: storeUrl,
        ARANGOPS_KEY_FILE: writeKeyFile(work),
        ARANGOPS_RUN_RECORDS_IN_STORE: 'true',
        ARANGOPS_RUN_RECORDS_CACHE_SECONDS: '1',
        // seededSim bootstraps the profile without its users.
        ARANGOPS_SCHEMA_IGNORE: 'users/**',
      };
      // The first backup before the jobs process starts: its first verification has one to check.
      latest = await backup();
      const [jobsPort, exporterPort] = [await freePort(), await freePort()];
      const settings = (...pairs: string[]) => pairs.flatMap((pair) => ['--set', pair]);
      children.push(
        spawnCli(
          [
            '--log-level',
            'warn',
            ...settings('jobs.host=127.0.0.1', `jobs.port=${jobsPort}`, 'jobs.gracePeriodSeconds=2'),
            // node-cron's seconds field: a full verification of the latest backup every 3 s. The
            // test takes the backups; the other jobs stay off.
            ...settings('jobs.verify.schedule=*/3 * * * * *', 'jobs.backup.enabled=false'),
            ...settings(
              'jobs.verifyCheap.enabled=false',
              'jobs.drift.enabled=false',
              'jobs.prune.enabled=false',
            ),
            'jobs',
          ],
          { ...cliEnv, ARANGOPS_RUN_RECORDS_DIR: join(work, 'jobs-runs') },
        ),
        spawnCli(
          [
            '--log-level',
            'warn',
            ...settings('exporter.host=127.0.0.1', `exporter.port=${exporterPort}`),
            'exporter',
          ],
          // The exporter's own folder stays empty: the run records it serves come from the store.
          { ...cliEnv, ARANGOPS_RUN_RECORDS_DIR: join(work, 'exporter-runs') },
        ),
      );
      webhook = await startWebhookReceiver();
      alertmanager = await startAlertmanager(alertmanagerBinary!, webhook.url);
      prometheus = await startPrometheus(prometheusBinary!, {
        // The job names the chart's ServiceMonitors give (the exporter rules select job="arangops-exporter").
        targets: {
          'arangops-exporter': `127.0.0.1:${exporterPort}`,
          'arangops-jobs': `127.0.0.1:${jobsPort}`,
        },
        targetLabels: { namespace: NAMESPACE },
        ruleFiles: rulesWithShortFor(tempDir('alert-chain-rules')),
        alertmanager: alertmanager.address,
      });
    }, 120_000);

    afterAll(async () => {
      await prometheus?.stop();
      await alertmanager?.stop();
      await webhook?.close();
      await Promise.all(children.map((c) => stopProcess(c)));
      sim?.connection.close();
      await sim?.sim.stop();
    });

    async function backup(): Promise<string> {
      const run = await runCli(['--log-level', 'warn', '--json', 'backup', 'run'], cliEnv);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { backupId: string }).backupId;
    }

    const query = (q: string, done: (r: QueryAnswer['data']['result']) => boolean, timeoutMs = 60_000) =>
      prometheus!
        .until<QueryAnswer>(
          `/api/v1/query?query=${encodeURIComponent(q)}`,
          (a) => done(a.data.result),
          timeoutMs,
        )
        .then((a) => a.data.result);

    const alerts = async () =>
      ((await (await fetch(`${prometheus!.url}/api/v1/alerts`)).json()) as AlertsAnswer).data.alerts;

    const received = (alertname: string, status: NotifiedAlert['status']) =>
      webhook!.alert(
        (a) => a.labels.alertname === alertname && a.status === status,
        `${alertname} ${status}`,
      );

    it('Prometheus runs every alert rule of the chart, only with its `for:` sixty times shorter', async () => {
      const loaded = await prometheus!.until<RulesAnswer>('/api/v1/rules', (a) => a.data?.groups.length > 0);
      const byName = new Map(loaded.data.groups.flatMap((g) => g.rules).map((r) => [r.name, r]));
      const chart = allRules();
      expect([...byName.keys()].sort()).toEqual(chart.map((r) => r.alert).sort());
      for (const rule of chart) {
        expect(byName.get(rule.alert), rule.alert).toMatchObject({
          duration: Math.max(1, seconds(rule.for ?? '0s') / 60),
          labels: rule.labels,
          annotations: rule.annotations,
        });
      }
    });

    it('healthy: nothing fires, and nothing reaches the webhook', { timeout: 90_000 }, async () => {
      // Both targets up, a passed verification on both pages, and the DB-Servers GOOD...
      await query('up', (r) => r.length === 2 && r.every((s) => s.value[1] === '1'));
      await query('arangops_verify_success', (r) => r.length === 1 && r[0]!.value[1] === '1');
      await query(
        'arangops_last_run_success{task="verify"}',
        (r) => r.length === 1 && r[0]!.value[1] === '1',
      );
      await query(
        `arangops_cluster_member_status{role="PRIMARY",status="GOOD",namespace="${NAMESPACE}"}`,
        (r) => r.length === 3 && r.every((s) => s.value[1] === '1'),
      );
      // ...every rule evaluated since (alerts pending on the empty database before the first
      // scrape are gone)...
      const seen = Date.now();
      await prometheus!.until<RulesAnswer>('/api/v1/rules', (a) =>
        a.data.groups.every((g) => g.rules.every((r) => Date.parse(r.lastEvaluation) > seen)),
      );
      // ...and for longer than the scenario's `for:` (5 s): nothing fires, and the scenario's
      // alerts are not even pending. (Others may be, briefly: one scrape slower than its 1 s
      // timeout on a loaded machine makes ArangoOpsExporterDown pending.)
      const since = Date.now();
      while (Date.now() - since < 7_000) {
        const now = await alerts();
        expect(now.filter((a) => a.state === 'firing' || SCENARIO.includes(a.labels.alertname!))).toEqual([]);
        await sleep(500);
      }
      expect(webhook!.notifications).toEqual([]);
    });

    it('a corrupted latest backup fails its verification: ArangoOpsVerificationFailed reaches the webhook with its summary and runbook', {
      timeout: 90_000,
    }, async () => {
      const store = openStore(storeUrl, { aws: awsConfigSchema.parse({}) });
      try {
        // One flipped bit in the agents' data object: authenticated decryption fails.
        const { manifest } = await readManifest(store, latest);
        const entry = manifest.collections.find((c) => c.name === 'agents')!;
        const object = `${backupPrefix(latest)}${manifest.files.find((f) => f.name === entry.dataFile)!.object}`;
        const bytes = await store.getBytes(object);
        bytes[Math.floor(bytes.length / 2)]! ^= 0x10;
        await store.put(object, bytes);
      } finally {
        store.close();
      }

      const alert = await received('ArangoOpsVerificationFailed', 'firing');
      expect(alert.labels).toEqual({
        alertname: 'ArangoOpsVerificationFailed',
        namespace: NAMESPACE,
        severity: 'warning',
      });
      expect(alert.annotations.summary).toBe('A backup failed its verification.');
      expect(alert.annotations.description).toContain(`The last verification in ${NAMESPACE} failed`);
      expectRunbook(alert);
      // Both pages say why: the jobs process's gauge and the run record the exporter serves.
      await query('arangops_verify_success', (r) => r[0]?.value[1] === '0');
      await query('arangops_last_run_success{task="verify"}', (r) => r[0]?.value[1] === '0');
    });

    it(`a FAILED DB-Server: ArangoOpsMemberFailed reaches the webhook`, { timeout: 90_000 }, async () => {
      await sim!.sim.faults.setMemberStatus(FAILED_MEMBER, 'FAILED');
      const alert = await received('ArangoOpsMemberFailed', 'firing');
      expect(alert.labels).toEqual({
        alertname: 'ArangoOpsMemberFailed',
        namespace: NAMESPACE,
        role: 'PRIMARY',
        server: sim!.sim.state.members.find((m) => m.shortName === FAILED_MEMBER)!.id,
        severity: 'critical',
      });
      expect(alert.annotations.summary).toBe('An ArangoDB cluster member was declared failed.');
      expectRunbook(alert);
    });

    it('recovered: the DB-Server GOOD and a good backup verified resolve both', {
      timeout: 90_000,
    }, async () => {
      await sim!.sim.faults.setMemberStatus(FAILED_MEMBER, 'GOOD');
      await backup();
      await received('ArangoOpsMemberFailed', 'resolved');
      await received('ArangoOpsVerificationFailed', 'resolved');
      await query('arangops_verify_success', (r) => r[0]?.value[1] === '1');
      expect((await alerts()).filter((a) => a.state === 'firing')).toEqual([]);
    });
  },
);

/** The runbook link is the alert's section of docs/runbooks.md, and that section exists. */
function expectRunbook(alert: NotifiedAlert): void {
  const url = alert.annotations.runbook_url;
  expect(url).toBe(`${REPO_URL}docs/runbooks.md#${alert.labels.alertname?.toLowerCase()}`);
  expect(broken(REPO_ROOT, url!)).toBeUndefined();
}
