/**
 * `arangops exporter` runs with the V8 heap settings measured for it (bin/arangops.js): the
 * process replaces itself with one started with them where Node.js can (process.execve), and
 * leaves a setting the operator chose alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from './harness/net.js';
import { tempDir } from './harness/temp-dir.js';

const CLI = fileURLToPath(new URL('../packages/cli/bin/arangops.js', import.meta.url));

/** The V8 flags the serving exporter process (same PID after execve) runs with. */
async function exporterFlags(env: NodeJS.ProcessEnv): Promise<string[]> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'exporter', '--listen', '127.0.0.1:0'], {
    env: {
      ...process.env,
      ...env,
      ARANGO_URL: `http://127.0.0.1:${await freePort()}`,
      ARANGOPS_RUN_RECORDS_DIR: tempDir('serving-flags'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('"msg":"listening"')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`exited (${code}):\n${log}`)));
    });
    const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    return argv.slice(1, argv.indexOf(CLI));
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

describe('arangops exporter V8 settings', () => {
  const execve = typeof (process as { execve?: unknown }).execve === 'function';

  it(`starts with a 1 MiB young generation ${execve ? '' : '(not on this Node.js: no process.execve)'}`, async () => {
    expect(await exporterFlags({ NODE_OPTIONS: '' })).toEqual(execve ? ['--max-semi-space-size=1'] : []);
  });

  it('leaves a young generation size set in NODE_OPTIONS alone', async () => {
    expect(await exporterFlags({ NODE_OPTIONS: '--max-semi-space-size=8' })).toEqual([]);
  });
});
