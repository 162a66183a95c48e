/**
 * `arangops exporter` and `arangops backup run` run with the runtime settings measured for them
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

interface Runtime {
  flags: string[];
  /** The glibc malloc settings (MALLOC_*) in the process's environment. */
  malloc: Record<string, string>;
}

/**
 * The node flags and environment a CLI process runs with (the same PID after execve), read from
 * /proc once its log says `ready`; the process is stopped after.
 */
async function runtimeOf(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<Runtime> {
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
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
    return {
      flags: argv.slice(1, argv.indexOf(CLI)),
      malloc: Object.fromEntries(
        environ.filter((v) => v.startsWith('MALLOC_')).map((v) => v.split('=') as [string, string]),
      ),
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

const execve = typeof (process as { execve?: unknown }).execve === 'function';
const where = execve ? '' : ' (not on this Node.js: no process.execve)';
/** The malloc variables the CLI sets, absent from the test's own environment. */
const unset = {
  MALLOC_ARENA_MAX: undefined,
  MALLOC_TRIM_THRESHOLD_: undefined,
  MALLOC_MMAP_THRESHOLD_: undefined,
};
const frugalMalloc = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_TRIM_THRESHOLD_: '131072',
  MALLOC_MMAP_THRESHOLD_: '32768',
};

describe('arangops exporter runtime settings', () => {
  const exporterRuntime = async (env: NodeJS.ProcessEnv) =>
    runtimeOf(
      ['exporter', '--listen', '127.0.0.1:0'],
      { ...env, ARANGO_URL: `http://127.0.0.1:${await freePort()}` },
      '"msg":"listening"',
    );

  it(`starts with a heap limit, a 1 MiB young generation and frugal malloc settings${where}`, async () => {
    expect(await exporterRuntime({ ...unset, NODE_OPTIONS: '' })).toEqual(
      execve
        ? {
            flags: ['--max-semi-space-size=1', '--max-old-space-size=256'],
            malloc: frugalMalloc,
          }
        : { flags: [], malloc: {} },
    );
  });

  it('leaves a young generation size set in NODE_OPTIONS and a malloc setting in the environment alone', async () => {
    const operator = { ...unset, NODE_OPTIONS: '--max-semi-space-size=8', MALLOC_ARENA_MAX: '4' };
    expect(await exporterRuntime(operator)).toEqual(
      execve
        ? {
            flags: ['--max-old-space-size=256'],
            malloc: { ...frugalMalloc, MALLOC_ARENA_MAX: '4' },
          }
        : { flags: [], malloc: { MALLOC_ARENA_MAX: '4' } },
    );
  });
});

describe('arangops backup run runtime settings', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: true });
    // The backup waits on its first batch while the test reads its flags.
    sim.faults.addLatency('^POST /_api/cursor', 10_000);
  });
  afterAll(() => sim.stop());

  const backupRuntime = async (env: NodeJS.ProcessEnv) => {
    const dir = tempDir('backup-flags');
    // A global option's value before the command is not a command word.
    return runtimeOf(
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

  it(`starts with a heap limit, a 4 MiB young generation and frugal malloc settings${where}`, async () => {
    expect(await backupRuntime({ ...unset, NODE_OPTIONS: '' })).toEqual(
      execve
        ? { flags: ['--max-semi-space-size=4', '--max-old-space-size=256'], malloc: frugalMalloc }
        : { flags: [], malloc: {} },
    );
  });

  it('keeps a heap limit set in NODE_OPTIONS, and still sets the young generation', async () => {
    const { flags } = await backupRuntime({ ...unset, NODE_OPTIONS: '--max-old-space-size=1024' });
    expect(flags).toEqual(execve ? ['--max-semi-space-size=4'] : []);
  });
});
