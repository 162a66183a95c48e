/**
 * A real Prometheus (Debian's package) on loopback for a test: scrapes the given targets every
 * second and, optionally, evaluates rule files every second. Stop it in afterAll.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './net.js';
import { tempDir } from './temp-dir.js';

export interface PrometheusOptions {
  /** job name → host:port of its one target. */
  readonly targets: Readonly<Record<string, string>>;
  readonly ruleFiles?: readonly string[];
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
  const rules = options.ruleFiles?.length ? ['rule_files:', ...options.ruleFiles.map((f) => `  - ${f}`)] : [];
  const scrapes = Object.entries(options.targets).flatMap(([job, target]) => [
    `  - job_name: ${job}`,
    '    static_configs:',
    `      - targets: ['${target}']`,
  ]);
  writeFileSync(
    configFile,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      ...rules,
      'scrape_configs:',
      ...scrapes,
      '',
    ].join('\n'),
  );
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
      const deadline = Date.now() + timeoutMs;
      let last: T | undefined;
      for (;;) {
        try {
          last = (await (await fetch(`${url}${path}`)).json()) as T;
          if (done(last)) return last;
        } catch {
          // Prometheus still starting
        }
        if (Date.now() > deadline)
          throw new Error(`${path} not as expected within ${timeoutMs} ms: ${JSON.stringify(last)}`);
        await sleep(500);
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    },
  };
}
