/**
 * A real Prometheus (Debian's 2.42 package) scrapes the exporter over loopback, and PromQL
 * over the scraped data returns the agent counts of the seeded data. Prometheus asks for
 * OpenMetrics first, so this also proves its parser accepts our OpenMetrics page.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createArangoConnection, createLogger } from '@arangops/core';
import { createExporter, exporterConfigSchema } from '@arangops/exporter';
import { DEFAULT_PROFILE_DIR, declaredIndexes, loadProfile, runBootstrap } from '@arangops/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget } from './harness/arango-target.js';
import { freePort } from './harness/net.js';
import { tempDir } from './harness/temp-dir.js';
import { findTool, requireTool } from './harness/tools.js';

const logger = createLogger({ level: 'silent' });

interface PromVector {
  status: string;
  data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

describe('a real Prometheus scraping the exporter', () => {
  const purpose = 'scraping the exporter with a real Prometheus';
  const prometheusBinary = findTool('prometheus');
  let arango: ArangoTarget | undefined;
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  let closeExporter: (() => Promise<void>) | undefined;
  const expected = new Map<string, number>();

  beforeAll(async () => {
    if (!prometheusBinary) return;
    arango = await arangoTarget({ mode: 'cluster', seed: true });
    const root = createArangoConnection(arango.config({ database: 'codevaldcortex' }), { logger });
    const profile = await loadProfile(DEFAULT_PROFILE_DIR);
    await runBootstrap({
      connection: root,
      profile,
      waitTimeoutMs: 10_000,
      env: {
        ARANGOPS_USER_EXPORTER_PASSWORD: 'exporter-pw',
        ARANGOPS_USER_BACKUP_PASSWORD: 'backup-pw',
        ARANGOPS_USER_VERIFY_PASSWORD: 'verify-pw',
      },
      logger,
    });
    // The expectation comes from the raw documents, not from the exporter's own query.
    const cursor = await root.database().query('FOR a IN agents RETURN { status: a.status, type: a.type }');
    for (const agent of (await cursor.all()) as Array<{ status: string; type: string }>) {
      expected.set(agent.status, (expected.get(agent.status) ?? 0) + 1);
    }
    root.close();

    const exporter = createExporter({
      config: exporterConfigSchema.parse({
        host: '127.0.0.1',
        port: 0,
        collectors: { serverMetrics: { enabled: true } },
      }),
      connection: createArangoConnection(
        arango.config({ database: 'codevaldcortex', username: 'arangops-exporter', password: 'exporter-pw' }),
        { logger },
      ),
      logger,
      metricsFile: join(DEFAULT_PROFILE_DIR, 'metrics.yaml'),
      declaredIndexes: declaredIndexes(profile.profile),
    });
    const server = await exporter.start();
    closeExporter = server.close;

    const storage = tempDir('prometheus');
    const configFile = join(storage, 'prometheus.yml');
    writeFileSync(
      configFile,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: arangops',
        '    static_configs:',
        `      - targets: ['${new URL(server.url).host}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      prometheusBinary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(storage, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => prometheus?.kill('SIGKILL'))]);
    }
    await closeExporter?.();
    await arango?.stop();
  });

  async function query(promql: string): Promise<PromVector['data']['result']> {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as PromVector;
    return body.data.result;
  }

  /** Polls until the query returns something (Prometheus needs a scrape or two first). */
  async function eventually(promql: string, timeoutMs = 30_000): Promise<PromVector['data']['result']> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const result = await query(promql);
        if (result.length > 0) return result;
      } catch {
        // Prometheus still starting
      }
      if (Date.now() > deadline) throw new Error(`no result for ${promql} within ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  it('scrapes the page successfully and PromQL returns the seeded agent counts', async (ctx) => {
    requireTool('prometheus', purpose, ctx);
    const up = await eventually('up{job="arangops"} == 1');
    expect(up).toHaveLength(1);
    expect(await eventually('arangops_up')).toMatchObject([{ value: [expect.any(Number), '1'] }]);

    const byStatus = await eventually('sum by (status) (codevaldcortex_agents)');
    const got = new Map(byStatus.map((r) => [r.metric.status as string, Number(r.value[1])]));
    expect(got).toEqual(expected);
    const [total] = await eventually('sum(codevaldcortex_agents)');
    expect(Number(total?.value[1])).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    if (arango?.sim) expect(Number(total?.value[1])).toBe(arango.sim.state.count('codevaldcortex', 'agents'));

    // Prometheus asked for OpenMetrics; a page its parser rejected would show as a scrape error.
    const targets = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as {
      data: { activeTargets: Array<{ health: string; lastError: string }> };
    };
    expect(targets.data.activeTargets).toMatchObject([{ health: 'up', lastError: '' }]);
    // The merged server metrics made it through the OpenMetrics parser too.
    expect(await eventually('arangops_server_metrics_up == 1')).not.toHaveLength(0);
    expect(await eventually('count(count by (server) (arangodb_scheduler_jobs_done_total))')).toHaveLength(1);
  }, 60_000);
});
