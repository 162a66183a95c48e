import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './net.js';

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
