/**
 * Operator mistakes and hostile input at the CLI boundary: each is an input
 * error (exit 2) that names the file or setting, never exit 70 with a stack
 * trace, and never echoes a value that may be a secret.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '@arangops/arangodb-sim';
import { describe, expect, it } from 'vitest';
import { runCli } from './harness/cli.js';
import { tempDir } from './harness/temp-dir.js';
import { makeTestCertificates } from './harness/tls.js';

const run = runCli;

describe('config check finds every file mistake, exit 2 with the file named', () => {
  it('a folder, a non-PEM CA, an empty JWT, missing or empty password files, missing or mismatched TLS files', async () => {
    const dir = tempDir('files');
    const mine = makeTestCertificates();
    const other = makeTestCertificates();
    const caDir = join(dir, 'ca-folder');
    mkdirSync(caDir);
    const notPem = join(dir, 'ca.der');
    writeFileSync(notPem, 'this is not a certificate\n');
    const emptyJwt = join(dir, 'jwt');
    writeFileSync(emptyJwt, '\n');
    const blankPassword = join(dir, 'metrics-password');
    writeFileSync(blankPassword, '  \n');
    const missing = join(dir, 'missing.pem');

    const check = (settings: string[]) =>
      run(['--json', ...settings.flatMap((s) => ['--set', s]), 'config', 'check']);
    const problems = async (settings: string[]) => {
      const { code, stdout, stderr } = await check(settings);
      expect(code, stderr).toBe(2);
      return (JSON.parse(stdout) as { error: { issues: { path: string; message: string }[] } }).error.issues;
    };

    expect(
      await problems([
        `arango.tls.caFile=${caDir}`,
        `arango.jwtFile=${emptyJwt}`,
        'exporter.basicAuth.username=prometheus',
        `exporter.basicAuth.passwordFile=${missing}`,
        `exporter.tls.certFile=${missing}`,
        `exporter.tls.keyFile=${mine.keyFile}`,
      ]),
    ).toEqual([
      { path: 'arango.jwtFile', message: `${emptyJwt}: is empty (from flag --set)` },
      { path: 'arango.tls.caFile', message: `${caDir} is a directory, not a file (from flag --set)` },
      { path: 'exporter.tls.certFile', message: `file not found: ${missing} (from flag --set)` },
      { path: 'exporter.basicAuth.passwordFile', message: `file not found: ${missing} (from flag --set)` },
    ]);
    expect(
      await problems([
        `arango.tls.caFile=${notPem}`,
        'exporter.basicAuth.username=prometheus',
        `exporter.basicAuth.passwordFile=${blankPassword}`,
        `exporter.tls.certFile=${mine.certFile}`,
        `exporter.tls.keyFile=${other.keyFile}`,
      ]),
    ).toEqual([
      {
        path: 'arango.tls.caFile',
        message: `${notPem}: not a PEM certificate (no BEGIN CERTIFICATE block) (from flag --set)`,
      },
      {
        path: 'exporter.tls.keyFile',
        message: `${other.keyFile}: the private key does not match the certificate ${mine.certFile} (from flag --set)`,
      },
      { path: 'exporter.basicAuth.passwordFile', message: `${blankPassword}: is empty (from flag --set)` },
    ]);
    // The matching pair and a real CA pass.
    const good = await check([
      `arango.tls.caFile=${mine.caFile}`,
      `exporter.tls.certFile=${mine.certFile}`,
      `exporter.tls.keyFile=${mine.keyFile}`,
      'exporter.host=127.0.0.1',
    ]);
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({ valid: true, warnings: [] });
  });

  it('a typo in the exporter auth section is refused, not served open', async () => {
    const file = join(tempDir('typo'), 'arangops.yaml');
    writeFileSync(file, 'exporter:\n  basic_auth:\n    username: prometheus\n    password: scrape-secret\n');
    const { code, stderr } = await run(['--config', file, 'config', 'check']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `arangops: invalid configuration: exporter.basic_auth: unknown setting; did you mean exporter.basicAuth? (from file ${file})\n`,
    );
  });
});

describe('config check warns of an exposed exporter', () => {
  it('open on every address, or basic auth over plain HTTP', async () => {
    const open = await run(['config', 'check']);
    expect(open.code).toBe(0);
    expect(open.stdout).toMatch(
      /^configuration is valid\nwarning: \/metrics is served on 0\.0\.0\.0 without authentication or TLS/,
    );
    const clear = await run(['--json', 'config', 'check'], {
      ARANGOPS_EXPORTER_BASIC_AUTH_USERNAME: 'prometheus',
      ARANGOPS_EXPORTER_BASIC_AUTH_PASSWORD: 'scrape-secret-1',
    });
    expect(JSON.parse(clear.stdout)).toEqual({
      valid: true,
      warnings: ['basic auth over plain HTTP sends the /metrics password in clear text: set exporter.tls'],
    });
  });
});

describe('--set values', () => {
  it('a password with YAML syntax stays a string: no exit 70, nothing echoed', async () => {
    const password = '[{@`%"# x';
    const { code, stdout, stderr } = await run(['--set', `arango.password=${password}`, 'config', 'show']);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).arango.password).toBe('[REDACTED]');
    const bad = await run(['--json', '--set', 'arango.timeoutMs={s3cret', 'config', 'check']);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).not.toContain('s3cret');
  });
});

describe('run records are best effort', () => {
  it('an unwritable run-record folder changes neither the error nor the exit code of a job', async () => {
    const blocked = join(tempDir('blocked'), 'a-file');
    writeFileSync(blocked, '');
    const sim = await startSimulator({ mode: 'cluster', auth: { users: { root: 'right-password' } } });
    const env = { ARANGO_URL: sim.url, ARANGOPS_RUN_RECORDS_DIR: join(blocked, 'runs') };
    try {
      const wrong = await run(['drift'], { ...env, ARANGO_PASSWORD: 'wrong-password' });
      expect(wrong.code).toBe(4);
      expect(wrong.stderr).toMatch(/^arangops: .*not authorized/m);
      expect(wrong.stderr).toContain('could not write the run record');
      const right = await run(['drift'], { ...env, ARANGO_PASSWORD: 'right-password' });
      expect([0, 1], right.stderr).toContain(right.code);
    } finally {
      await sim.stop();
    }
  });
});
