/**
 * `arangops exporter` and `arangops backup run` run with the V8 heap settings measured for them
 * (bin/arangops.js): the process replaces itself with one started with them where Node.js can
 * (process.execve), and leaves a setting the operator chose alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Simulator, startSimulator } from '@arangops/arangodb-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKeyFile } from './backup/helpers.js';
import { freePort } from './harness/net.js';
import { tempDir } from './harness/temp-dir.js';

const CLI = fileURLToPath(new URL('../packages/cli/bin/arangops.js', import.meta.url));

/**
 * The V8 flags a CLI process runs with (the same PID after execve), read from /proc once its
 * log says `ready`; the process is stopped after.
 */
async function flagsOf(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<string[]> {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ARANGOPS_RUN_RECORDS_DIR: tempDir('serving-flags'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes(ready)) resolve();
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

const execve = typeof (process as { execve?: unknown }).execve === 'function';
const where = execve ? '' : ' (not on this Node.js: no process.execve)';

describe('arangops exporter V8 settings', () => {
  const exporterFlags = async (env: NodeJS.ProcessEnv) =>
    flagsOf(
      ['exporter', '--listen', '127.0.0.1:0'],
      { ...env, ARANGO_URL: `http://127.0.0.1:${await freePort()}` },
      '"msg":"listening"',
    );

  it(`starts with a 1 MiB young generation${where}`, async () => {
    expect(await exporterFlags({ NODE_OPTIONS: '' })).toEqual(execve ? ['--max-semi-space-size=1'] : []);
  });

  it('leaves a young generation size set in NODE_OPTIONS alone', async () => {
    expect(await exporterFlags({ NODE_OPTIONS: '--max-semi-space-size=8' })).toEqual([]);
  });
});

describe('arangops backup run V8 settings', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: true });
    // The backup waits on its first batch while the test reads its flags.
    sim.faults.addLatency('^POST /_api/cursor', 10_000);
  });
  afterAll(() => sim.stop());

  const backupFlags = (env: NodeJS.ProcessEnv) => {
    const dir = tempDir('backup-flags');
    // A global option's value before the command is not a command word.
    return flagsOf(
      ['--log-level', 'info', 'backup', 'run', '--database', 'codevaldcortex'].concat([
        '--store',
        pathToFileURL(join(dir, 'store')).href,
        '--key-file',
        writeKeyFile(dir),
      ]),
      { ...env, ARANGO_URL: sim.url },
      '"msg":"backup started"',
    );
  };

  it(`starts with a heap limit and a 4 MiB young generation${where}`, async () => {
    expect(await backupFlags({ NODE_OPTIONS: '' })).toEqual(
      execve ? ['--max-semi-space-size=4', '--max-old-space-size=256'] : [],
    );
  });

  it('keeps a heap limit set in NODE_OPTIONS, and still sets the young generation', async () => {
    expect(await backupFlags({ NODE_OPTIONS: '--max-old-space-size=1024' })).toEqual(
      execve ? ['--max-semi-space-size=4'] : [],
    );
  });
});
