import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { freePort } from './net.js';
import type { SkippableTest } from './tools.js';

export interface MotoServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts moto_server (S3 + KMS emulator) on a free loopback port and waits until it answers. */
export async function startMoto(binary: string): Promise<MotoServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.ok) {
        return {
          url,
          async stop() {
            child.kill('SIGTERM');
            await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
          },
        };
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`moto_server did not start on ${url}:\n${stderr}`);
}

/**
 * The URL of the run's moto_server (started by the global set-up). Without moto the test is
 * skipped; in CI the set-up has already failed the run, so nothing is skipped there.
 */
export function requireMoto(test: SkippableTest): string {
  const url = inject('motoUrl');
  if (!url)
    test.skip('moto_server not found (needed for S3 and KMS tests); run: bash scripts/install-test-tools.sh');
  return url;
}
