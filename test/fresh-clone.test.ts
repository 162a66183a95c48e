/**
 * A new user's first minutes: clone the project into a folder with nothing beside it (no
 * ../shared), run `npm start` (the README's set-up) until it serves, stop it as a user does, then
 * `npx arangops`, and run the tests that read the project's data there. The clone is of HEAD:
 * uncommitted changes are not in it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRun, type VitestReport } from '../scripts/test-summary.js';
import { tempDir } from './harness/temp-dir.js';
import { REPO_ROOT, requireTool } from './harness/tools.js';

/**
 * The test files that read `test/data/` (or did read ../shared before it): they must load and
 * pass in the clone. The whole suite runs in the checkout; running it twice would double the run.
 */
const DATA_TESTS = [
  'packages/arangodb-sim/src/conformance.test.ts',
  'packages/arangodb-sim/src/aql/explain.test.ts',
  'test/tools-smoke.test.ts',
];

/** Processes whose working directory or command line is in `dir`: pid and command line. */
function processesIn(dir: string): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir) || cmdline.includes(dir)
          ? [`${pid} ${cmdline}`]
          : [];
      } catch {
        return []; // gone meanwhile, or not ours to read
      }
    });
}

/** True when nothing listens on the loopback port any more. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** A user's shell: nothing of the npm script or the vitest run this test runs in. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|VITEST|NODE_ENV$|TEST$)/.test(key)) env[key] = value;
  }
  // Reuse the npm cache the checkout was installed from: the clone installs the same lock file.
  return { ...env, npm_config_prefer_offline: 'true' };
}

describe('a fresh clone', () => {
  let clone = '';
  const sh = (file: string, args: string[]) =>
    execFileSync(file, args, { cwd: clone, env: userEnv(), encoding: 'utf8', stdio: 'pipe' });

  beforeAll(() => {
    const parent = tempDir('clone');
    clone = join(parent, 'arangops');
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    execFileSync('git', ['clone', '--quiet', '--no-checkout', REPO_ROOT, clone]);
    sh('git', ['checkout', '--quiet', head]);
  }, 60_000);

  afterAll(() => {
    // A failed run must not leave a demo serving on the machine.
    for (const entry of processesIn(clone)) process.kill(Number(entry.split(' ')[0]), 'SIGKILL');
  });

  it('has nothing beside it', () => {
    expect(existsSync(join(dirname(clone), 'shared'))).toBe(false);
  });

  it("`npm start` (the README's set-up) reaches its summary, serves, and leaves nothing behind after SIGINT", async (ctx) => {
    const executablePath = requireTool('chromium', 'the weekly report of `npm start` in a browser', ctx);
    // The top process is npm, as a user's terminal or a supervisor sees it; it runs the set-up first.
    const npm = spawn('npm', ['start'], { cwd: clone, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    npm.stdout.on('data', (chunk: Buffer) => (out += chunk));
    npm.stderr.on('data', (chunk: Buffer) => (err += chunk));
    const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const ports: number[] = [];
    try {
      await Promise.race([
        until(() => out.includes('stops everything'), 280_000),
        exited.then(([code]) => {
          throw new Error(`npm start exited ${code} before its summary:\n${out}\n${err}`);
        }),
      ]);
      const url = (label: string) => new RegExp(`^ {2}${label} +(http://\\S+)/metrics`, 'm').exec(out)?.[1];
      const exporter = url('exporter');
      const jobs = url('jobs');
      const simulator = /simulator \S+ .* at (http:\/\/\S+), seeded/.exec(out)?.[1];
      const html = /^ +(\/\S+\.html)$/m.exec(out.slice(out.indexOf('## arangops is running')))?.[1];
      expect({ exporter, jobs, simulator, html }).toEqual({
        exporter: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        jobs: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        simulator: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        html: expect.stringContaining(clone),
      });
      ports.push(...[exporter, jobs, simulator].map((u) => Number(new URL(u!).port)));
      expect(out).toMatch(/^ {2}drift +in sync with profile codevaldcortex$/m);
      expect(out).toMatch(/^ {2}verification +PASS: backup \S+ restored into a scratch database/m);

      const exporterPage = await (await fetch(`${exporter}/metrics`)).text();
      expect(exporterPage).toMatch(/^arangops_up 1$/m);
      expect(exporterPage).toMatch(/^arangops_last_run_success\{task="verify"\} 1$/m);
      const jobsPage = await (await fetch(`${jobs}/metrics`)).text();
      expect(jobsPage).toMatch(/^arangops_verify_success(\{[^}]*\})? 1$/m);
      expect(jobsPage).toMatch(
        /^arangops_backup_last_success_timestamp_seconds\{database="codevaldcortex"\} \d/m,
      );

      // The weekly report, as a person opens it.
      const browser = await chromium.launch({
        executablePath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      try {
        const page = await browser.newPage();
        await page.goto(pathToFileURL(html!).href);
        const week = /weekly report \w+ for (\S+) so far/.exec(out)?.[1];
        expect(await page.title()).toBe(`Backup report, week ${week}`);
        expect(await page.getByRole('heading', { name: 'Verifications (1)' }).isVisible()).toBe(true);
      } finally {
        await browser.close();
      }
    } finally {
      npm.kill('SIGINT');
    }
    const [code] = (await Promise.race([exited, sleep(60_000).then(() => [null])])) as [number | null];
    expect({ code, out: out.slice(out.lastIndexOf('\n', out.length - 2)) }).toEqual({
      code: 0,
      out: expect.stringContaining('SIGINT: stopping the exporter, the jobs process and the simulator'),
    });
    // npm ran a shell that ran node: none of them, and none of their ports, outlive the top process.
    expect(processesIn(clone)).toEqual([]);
    for (const port of ports) expect(await refused(port), `port ${port}`).toBe(true);

    const version = JSON.parse(readFileSync(join(clone, 'packages/cli/package.json'), 'utf8')).version;
    expect(sh('npx', ['arangops', '--version']).trim()).toBe(version);
    expect(sh('npx', ['arangops', '--help'])).toMatch(/^Usage: arangops /);
  }, 400_000);

  it('passes the tests that read the project data, with no ../shared', () => {
    // The tools are the checkout's (what scripts/install-test-tools.sh installed), not part of a clone.
    symlinkSync(join(REPO_ROOT, '.tools'), join(clone, '.tools'));
    const report = join(clone, 'vitest-report.json');
    try {
      sh('npx', ['vitest', 'run', '--reporter=json', `--outputFile.json=${report}`, ...DATA_TESTS]);
    } catch (e) {
      if (!existsSync(report)) throw e;
    }
    const counts = countRun(JSON.parse(readFileSync(report, 'utf8')) as VitestReport);
    expect(counts.broken).toEqual([]);
    expect(counts.failed).toBe(0);
    expect(counts.passed).toBeGreaterThan(60);
  }, 120_000);
});

describe('the repository', () => {
  it('reads nothing from outside itself', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|mjs|js|sh|json|yaml)$/.test(f) && !f.startsWith('test/data/'));
    const outside = files.filter((f) =>
      /(\.\.\/shared\/|\/work\/shared)/.test(readFileSync(join(REPO_ROOT, f), 'utf8')),
    );
    expect(outside).toEqual([]);
  });
});
