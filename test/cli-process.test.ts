/**
 * The arangops process as a person or a supervisor meets it: where the serving commands bind
 * (`--listen`, the demo on loopback) and what its logs look like on a terminal and in a pipe.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { startSimulator } from '@arangops/arangodb-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './harness/net.js';
import { tempDir } from './harness/temp-dir.js';
import { REPO_ROOT } from './harness/tools.js';

/** The CLI from its sources, as `npx arangops` runs the build. */
const CLI = ['--conditions=@arangops/source', '--import', 'tsx', 'packages/cli/src/bin.ts'];

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ARANGOPS_RUN_RECORDS_DIR: tempDir('runs'),
    ...extra,
  };
}

/** Starts the CLI and resolves with the first match of `pattern` on stdout or stderr. */
async function startUntil(args: string[], pattern: RegExp, extraEnv?: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: REPO_ROOT, env: env(extraEnv) });
  children.push(child);
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const m = pattern.exec(output);
      if (m) resolve(m);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}:\n${output}`)));
  });
  return { child, match, output: () => output };
}

/** Whether something accepts connections at host:port (127.0.0.2 is loopback too, but not 127.0.0.1). */
async function answers(host: string, port: number): Promise<boolean> {
  try {
    await fetch(`http://${host}:${port}/healthz`);
    return true;
  } catch {
    return false;
  }
}

/** The exporter's line of the demo's summary: URL, host, port. */
const SUMMARY_EXPORTER = /^ {2}exporter +(http:\/\/([^:\s]+):(\d+))\/metrics/m;

describe('serving commands', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    sim = await startSimulator({ mode: 'cluster', version: '3.12.10', seed: true });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('the demo binds loopback unless told otherwise, and prints the address it bound', async () => {
    const { match } = await startUntil(
      ['--log-level', 'silent', 'demo', '--set', 'exporter.port=0', '--set', 'jobs.port=0'],
      SUMMARY_EXPORTER,
    );
    const port = Number(match[3]);
    expect(match[1]).toBe(`http://127.0.0.1:${port}`);
    expect(await answers('127.0.0.1', port)).toBe(true);
    expect(await answers('127.0.0.2', port)).toBe(false);
  }, 60_000);

  it('demo --listen binds the address it is given', async () => {
    const port = await freePort();
    const { match } = await startUntil(
      ['--log-level', 'silent', 'demo', '--listen', `127.0.0.2:${port}`, '--set', 'jobs.port=0'],
      SUMMARY_EXPORTER,
    );
    expect(match.slice(1)).toEqual([`http://127.0.0.2:${port}`, '127.0.0.2', String(port)]);
    expect(await answers('127.0.0.2', port)).toBe(true);
    expect(await answers('127.0.0.1', port)).toBe(false);
  }, 60_000);

  it('exporter --listen [host]:port overrides exporter.host and exporter.port', async () => {
    const port = await freePort();
    const { match } = await startUntil(['exporter', '--listen', `127.0.0.2:${port}`], /"url":"([^"]+)"/, {
      ARANGO_URL: sim.url,
    });
    expect(match[1]).toBe(`http://127.0.0.2:${port}`);
    const page = await (await fetch(`${match[1]}/metrics`)).text();
    expect(page).toContain('arangops_up');
    expect(await answers('127.0.0.1', port)).toBe(false);
  }, 60_000);

  it('rejects a --listen value that is not [host]:port, exit 2', () => {
    const run = spawnSync(process.execPath, [...CLI, 'exporter', '--listen', '9101'], {
      cwd: REPO_ROOT,
      env: env(),
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "option '--listen <[host]:port>' argument '9101' is invalid. expected [host]:port",
    );
  });
});

describe('log lines', () => {
  const refused = async () => ({
    ARANGO_URL: `http://127.0.0.1:${await freePort()}`,
    ARANGOPS_ARANGO_RETRIES_MAX: '1',
    ARANGOPS_ARANGO_RETRIES_BASE_DELAY_MS: '1',
  });

  it('are JSON when stderr is not a terminal', async () => {
    const run = spawnSync(process.execPath, [...CLI, 'drift'], {
      cwd: REPO_ROOT,
      env: env(await refused()),
      encoding: 'utf8',
    });
    expect(run.status).toBe(3);
    const [logLine] = run.stderr.split('\n');
    expect(JSON.parse(logLine!)).toMatchObject({ level: 'warn', msg: 'retrying', attempt: 1 });
  });

  it('are readable lines on a terminal', async () => {
    // script(1) gives the CLI a pseudo-terminal, as a person's shell does.
    const command = ['exec', process.execPath, ...CLI, 'drift'].map((a) => `'${a}'`).join(' ');
    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: REPO_ROOT,
      env: { ...env(await refused()), NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: retrying \{"operation":/m);
    expect(run.stdout).not.toContain('"level"');
    expect(run.stdout).toMatch(
      /arangops: cannot reach ArangoDB at http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
  });
});
