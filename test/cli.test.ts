/**
 * The arangops binary as a user meets it: help, config errors, JSON errors,
 * redacted config, and the demo that `npm start` runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '@arangops/arangodb-sim';
import { createLocalRunRecordStore } from '@arangops/core';
import { describe, expect, it } from 'vitest';
import { writeKeyFile } from './backup/helpers.js';
import { runCli } from './harness/cli.js';
import { freePort } from './harness/net.js';
import { tempDir } from './harness/temp-dir.js';

const run = runCli;

describe('arangops --help', () => {
  it('lists every subcommand', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const cmd of ['demo', 'config', 'exporter', 'drift', 'bootstrap', 'backup', 'sim']) {
      expect(stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
  });

  it('exits 2 with a usage message for an unknown command or option', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    const bad = await run(['drift', '--fail-on', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'sometimes' is invalid");
  });
});

describe('configuration errors', () => {
  it('lists every problem with its path and exits 2, without a stack trace', async () => {
    const file = join(tempDir('cli'), 'arangops.yaml');
    writeFileSync(file, 'arango:\n  timeoutMs: 0\nexporter:\n  port: 70000\n');
    const { code, stderr } = await run(['--config', file, 'config', 'check'], {
      ARANGOPS_ARANGO_TLS_CA_FILE: '/x/ca.pem',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('arangops: invalid configuration (3 problems):');
    expect(stderr).toContain(
      '  - arango.tls.caFile: file not found: /x/ca.pem (from env ARANGOPS_ARANGO_TLS_CA_FILE)',
    );
    expect(stderr).toMatch(/ {2}- arango\.timeoutMs: .*\(from file /);
    expect(stderr).toMatch(/ {2}- exporter\.port: .*\(from file /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('gives the same problems as JSON with --json', async () => {
    // Global options may also follow the command.
    const { code, stdout } = await run(['config', 'check', '--json', '--set', 'arango.timeoutMs=-5']);
    expect(code).toBe(2);
    const { error } = JSON.parse(stdout) as {
      error: { name: string; exitCode: number; issues: { path: string }[] };
    };
    expect(error).toMatchObject({ name: 'ConfigError', exitCode: 2 });
    expect(error.issues.map((i) => i.path)).toEqual(['arango.timeoutMs']);
  });

  it('rejects a --set without a value', async () => {
    const { code, stderr } = await run(['--set', 'arango.timeoutMs', 'config', 'check']);
    expect(code).toBe(2);
    expect(stderr).toContain('--set: expected path=value, got "arango.timeoutMs"');
  });
});

describe('machine output', () => {
  it('keeps stdout pure JSON with --json: logs are JSON lines on stderr', async () => {
    const sim = await startSimulator({ mode: 'single' });
    try {
      const { code, stdout, stderr } = await run(['--json', 'bootstrap', '--wait-timeout', '5'], {
        ARANGO_URL: sim.url,
        ARANGOPS_RUN_RECORDS_DIR: tempDir('runs'),
        ARANGOPS_USER_EXPORTER_PASSWORD: 'exporter-password',
        ARANGOPS_USER_BACKUP_PASSWORD: 'backup-password',
        ARANGOPS_USER_VERIFY_PASSWORD: 'verify-password',
      });
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ dryRun: false, report: { inSync: true } });
      const logs = stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg: string });
      expect(logs.map((l) => l.msg)).toContain('bootstrap action');
      expect(stderr).not.toContain('exporter-password');
    } finally {
      await sim.stop();
    }
  });
});

describe('job failures', () => {
  it('exit 3 when ArangoDB is unreachable, and the failed run is recorded for the exporter', async () => {
    const runs = tempDir('runs');
    const { code, stderr } = await run(['--log-level', 'silent', 'drift'], {
      ARANGO_URL: `http://127.0.0.1:${await freePort()}`,
      ARANGOPS_ARANGO_RETRIES_MAX: '0',
      ARANGOPS_RUN_RECORDS_DIR: runs,
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(/^arangops: .*ECONNREFUSED/);
    expect(await createLocalRunRecordStore(runs).read('drift')).toMatchObject({
      job: 'drift',
      success: false,
    });
  });
});

describe('arangops config', () => {
  it('shows the resolved configuration with secrets redacted', async () => {
    const { code, stdout } = await run(['config', 'show'], {
      ARANGO_PASSWORD: 'very-secret-password',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-key-value-123',
      ARANGOPS_EXPORTER_PORT: '9200',
    });
    expect(code).toBe(0);
    const shown = JSON.parse(stdout) as {
      arango: { password: string };
      aws: { secretAccessKey: string };
      exporter: { port: number };
    };
    expect(shown.arango.password).toBe('[REDACTED]');
    expect(shown.aws.secretAccessKey).toBe('[REDACTED]');
    expect(shown.exporter.port).toBe(9200);
    expect(stdout).not.toContain('very-secret-password');
    expect(stdout).not.toContain('aws-secret-key-value-123');
  });
});

describe('arangops demo (what npm start runs)', () => {
  it('bootstraps the simulator, shows drift after a manual change and its repair, backs up, verifies and shows the exporter page', async () => {
    const runs = tempDir('demo');
    const { code, stdout, stderr } = await run(['--log-level', 'warn', 'demo', '--once'], {
      ARANGOPS_RUN_RECORDS_DIR: runs,
      // The demo's own default is the git-ignored .arangops/ of the checkout.
      ARANGOPS_STORE: join(runs, 'store'),
      ARANGOPS_KEY_FILE: writeKeyFile(runs),
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('createIndex');
    expect(stdout).toMatch(/0 item\(s\).*in sync/);
    expect(stdout).toContain('codevaldcortex/collections/agents/indexes/idx_manual_name');
    expect(stdout).toContain('arangops_up 1');
    // bootstrap --allow-destructive puts the database back as declared before the backup.
    expect(stdout).toMatch(
      /--allow-destructive[^\n]*\n(.*\n)*\s+dropIndex\s+codevaldcortex\/collections\/agents\/indexes\/idx_manual_name/,
    );
    expect(stdout).toMatch(/arangops_index_present\{[^}]*index="idx_comms_messageType"\} 1/);
    expect(stdout).toMatch(/codevaldcortex_agents\{status="[a-z]+",type="[a-z-]+"\} \d+/);
    expect(stdout).toMatch(
      /## Backup\n\d{8}T\d{6}Z-codevaldcortex-[0-9a-f]{4}: [\d,]+ documents in \d+ collections/,
    );
    expect(JSON.parse(readFileSync(join(runs, 'backup.json'), 'utf8'))).toMatchObject({
      job: 'backup',
      success: true,
    });
    expect(stdout).toMatch(
      /## Verify: backup \S+ restored into a scratch database and checked\nverify \S+: PASSED/,
    );
    expect(stdout).toContain('ok   counts — 3 collections hold the manifest counts');
    expect(JSON.parse(readFileSync(join(runs, 'verify.json'), 'utf8'))).toMatchObject({ job: 'verify' });
    // The report of that verification, its HTML page's path printed.
    const html = /Report of this verification \(open in a browser\): (\S+\.html)/.exec(stdout)?.[1];
    expect(html).toMatch(/\/reports\/runs\/\d{8}T\d{6}Z-\d{8}T\d{6}Z-codevaldcortex-[0-9a-f]{4}\.html$/);
    expect(readFileSync(html!, 'utf8')).toContain('<h2>Checks</h2>');
  });
});
