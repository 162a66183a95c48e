/**
 * The container image, tested without a Docker engine: what the Dockerfile's install stage does
 * (the `npm pack` tarball of each package it names, installed into an empty folder with production
 * dependencies only and without the optional simulator) is done here, and the installed
 * `arangops` runs `--version` and `exporter --once` against a simulator this test starts from the
 * repository. The facts the Dockerfile repeats (Node version, package version, image name) are
 * checked against their sources, and hadolint lints the file.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Simulator, startSimulator } from '@arangops/arangodb-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from './harness/temp-dir.js';
import { REPO_ROOT, requireTool } from './harness/tools.js';

const run = promisify(execFile);
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

function arg(name: string): string {
  const match = new RegExp(`^ARG ${name}="?([^"\\n]*)"?$`, 'm').exec(dockerfile);
  if (!match?.[1]) throw new Error(`Dockerfile: no default for ARG ${name}`);
  return match[1];
}

const packages = arg('PACKAGES').split(' ');
const cliVersion = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8')).version;

/** npm without the npm_* settings of an enclosing `npm run` (workspace, prefix), which would redirect it. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

describe('Dockerfile', () => {
  it('repeats its facts from their sources: Node version, package version, image name', () => {
    const tools = readFileSync(join(REPO_ROOT, 'scripts/install-test-tools.sh'), 'utf8');
    expect(arg('NODE_VERSION')).toBe(/^NODE_VERSION=(\S+)$/m.exec(tools)?.[1]);
    expect(arg('NODE_VERSION')).toMatch(/^24\./);
    expect(arg('VERSION')).toBe(cliVersion);
    const chart = parse(readFileSync(join(REPO_ROOT, 'charts/arangops/Chart.yaml'), 'utf8'));
    const values = parse(readFileSync(join(REPO_ROOT, 'charts/arangops/values.yaml'), 'utf8'));
    expect(chart.appVersion).toBe(cliVersion);
    const source = /org\.opencontainers\.image\.source="https:\/\/github\.com\/([^"]+)"/.exec(
      dockerfile,
    )?.[1];
    expect(values.image.repository).toBe(`ghcr.io/${source}`);
    expect(values.image.tag).toBe('');
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(values.podSecurityContext.runAsUser).toBe(10001);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["arangops"\]$/m);
  });

  it('names every package except the simulator, and the simulator is optional for the CLI', () => {
    const all = readdirSync(join(REPO_ROOT, 'packages'));
    expect([...packages].sort()).toEqual(all.filter((p) => p !== 'arangodb-sim').sort());
    const cli = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8'));
    expect(Object.keys(cli.optionalDependencies)).toEqual(['@arangops/arangodb-sim']);
  });

  it('passes hadolint', async (ctx) => {
    const hadolint = requireTool('hadolint', 'linting the Dockerfile', ctx);
    const { stdout } = await run(hadolint, ['--no-color', join(REPO_ROOT, 'Dockerfile')]).catch((e) => {
      throw new Error(`hadolint: ${e.stdout}${e.stderr}`);
    });
    expect(stdout).toBe('');
  });
});

describe('the packaged install (what the image holds)', () => {
  let app: string;
  let arangops: string;
  let sim: Simulator;

  beforeAll(async () => {
    // npm pack ships dist/ as it is: build first (a no-op when test:all has built already).
    await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b'], {
      cwd: REPO_ROOT,
    });
    const packs = tempDir('image-packs');
    for (const p of packages) {
      await run('npm', ['pack', '--silent', '--pack-destination', packs, '-w', `packages/${p}`], {
        cwd: REPO_ROOT,
        env: npmEnv(),
      });
    }
    app = tempDir('image-app');
    writeFileSync(join(app, 'package.json'), '{"name":"arangops-image","private":true}\n');
    const tarballs = readdirSync(packs).map((f) => join(packs, f));
    expect(tarballs).toHaveLength(packages.length);
    // The same flags as the Dockerfile's install stage, with --prefer-offline for this machine's cache.
    await run(
      'npm',
      [
        'install',
        '--omit=dev',
        '--omit=optional',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--prefer-offline',
        ...tarballs,
      ],
      { cwd: app, env: npmEnv() },
    );
    arangops = join(app, 'node_modules/.bin/arangops');
    sim = await startSimulator({
      auth: { users: { root: 'root-pw' } },
      seed: { agents: 20, executions: 20, communications: 20 },
    });
  }, 300_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('holds production dependencies only, without the simulator', () => {
    const modules = join(app, 'node_modules');
    for (const p of packages) expect(existsSync(join(modules, '@arangops', p, 'dist'))).toBe(true);
    expect(existsSync(join(modules, '@arangops/arangodb-sim'))).toBe(false);
    for (const dev of ['typescript', 'vitest', 'tsx', '@biomejs/biome', 'playwright-core']) {
      expect(existsSync(join(modules, dev)), dev).toBe(false);
    }
  });

  it('arangops --version prints the package version', async () => {
    const { stdout } = await run(arangops, ['--version'], { cwd: app });
    expect(stdout.trim()).toBe(cliVersion);
  });

  it('arangops exporter --once serves cluster, collection and profile metrics from the simulator', async () => {
    const { stdout } = await run(arangops, ['--log-level', 'error', 'exporter', '--once'], {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        ARANGO_URL: sim.url,
        ARANGO_PASSWORD: 'root-pw',
        ARANGOPS_ARANGO_DATABASE: 'codevaldcortex',
        ARANGOPS_RUN_RECORDS_DIR: tempDir('image-runs'),
      },
    });
    expect(stdout).toMatch(/^arangops_up 1$/m);
    expect(stdout).toContain(`arangops_build_info{version="${cliVersion}"} 1`);
    expect(stdout).toMatch(
      /^arangops_collection_documents\{database="codevaldcortex",collection="agents"\} 20$/m,
    );
    // The profile's AQL metrics: the shipped profiles are in the installed schema package.
    expect(stdout).toMatch(/^codevaldcortex_agents\{/m);
  });

  it('arangops sim says the simulator is not installed (exit 2)', async () => {
    const failed = await run(arangops, ['sim'], { cwd: app }).then(
      () => undefined,
      (e) => e,
    );
    expect(failed?.code).toBe(2);
    expect(failed.stderr).toContain('the ArangoDB simulator is not installed');
  });
});
