/**
 * A new user's first minutes: clone the project into a folder with nothing beside it (no
 * ../shared), run the README's set-up, then `npx arangops`, and run the tests that read the
 * project's data there. The clone is of HEAD: uncommitted changes are not in it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countRun, type VitestReport } from '../scripts/test-summary.js';
import { tempDir } from './harness/temp-dir.js';
import { REPO_ROOT } from './harness/tools.js';

/**
 * The test files that read `test/data/` (or did read ../shared before it): they must load and
 * pass in the clone. The whole suite runs in the checkout; running it twice would double the run.
 */
const DATA_TESTS = [
  'packages/arangodb-sim/src/conformance.test.ts',
  'packages/arangodb-sim/src/aql/explain.test.ts',
  'test/tools-smoke.test.ts',
];

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

  it('has nothing beside it', () => {
    expect(existsSync(join(dirname(clone), 'shared'))).toBe(false);
  });

  it("runs `npm start` (the README's set-up), then `npx arangops --version` and `--help`", () => {
    // `npm start` installs, builds and runs the demo; --once makes it exit instead of serving.
    const demo = sh('npm', ['start', '--', '--once']);
    expect(demo).toContain('## Exporter: a sample of the page');
    const version = JSON.parse(readFileSync(join(clone, 'packages/cli/package.json'), 'utf8')).version;
    expect(sh('npx', ['arangops', '--version']).trim()).toBe(version);
    expect(sh('npx', ['arangops', '--help'])).toMatch(/^Usage: arangops /);
  }, 300_000);

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
