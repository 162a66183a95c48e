import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('arangops-sim CLI', () => {
  it('prints its URL, serves requests and exits cleanly on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', bin, '--port', '0', '--mode', 'cluster', '--version', '3.11.14'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    const version = (await (await fetch(`${url}/_api/version`)).json()) as { version: string };
    expect(version.version).toBe('3.11.14');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
