/**
 * A real Prometheus (Debian's package) on loopback for a test: scrapes the given targets every
 * second and, optionally, evaluates rule files every second and sends its alerts to an
 * Alertmanager. Stop it in afterAll.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './net.js';
import { poll, stopProcess } from './process.js';
import { tempDir } from './temp-dir.js';

export interface PrometheusOptions {
  /** job name → host:port of its one target. */
  readonly targets: Readonly<Record<string, string>>;
  /** Labels on every target, as the Prometheus Operator sets `namespace` from the ServiceMonitor's. */
  readonly targetLabels?: Readonly<Record<string, string>>;
  readonly ruleFiles?: readonly string[];
  /** host:port of the Alertmanager that receives the alerts. */
  readonly alertmanager?: string;
}

export interface RunningPrometheus {
  readonly url: string;
  /** GETs an API path until `done` accepts the JSON answer; throws with the last answer after the timeout. */
  until<T>(path: string, done: (answer: T) => boolean, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startPrometheus(
  binary: string,
  options: PrometheusOptions,
): Promise<RunningPrometheus> {
  const storage = tempDir('prometheus');
  const configFile = join(storage, 'prometheus.yml');
  // JSON is YAML: the config needs no YAML writer.
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    ...(options.ruleFiles?.length ? { rule_files: options.ruleFiles } : {}),
    ...(options.alertmanager
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] } }
      : {}),
    scrape_configs: Object.entries(options.targets).map(([job, target]) => ({
      job_name: job,
      static_configs: [
        { targets: [target], ...(options.targetLabels ? { labels: options.targetLabels } : {}) },
      ],
    })),
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(storage, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  return {
    url,
    async until<T>(path: string, done: (answer: T) => boolean, timeoutMs = 40_000): Promise<T> {
      let last: T | undefined;
      try {
        return await poll(
          path,
          async () => {
            last = (await (await fetch(`${url}${path}`)).json()) as T;
            return done(last) ? last : undefined;
          },
          timeoutMs,
          500,
        );
      } catch {
        throw new Error(`${path} not as expected within ${timeoutMs} ms: ${JSON.stringify(last)}`);
      }
    },
    stop: () => stopProcess(child),
  };
}
