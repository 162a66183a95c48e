/**
 * A trace leaves the process, so it must carry no secret from any source: a
 * `--set` flag (it lands in process.argv, which the OpenTelemetry process
 * detector exports as process.command_args), the environment, or the config
 * file. The CLI runs as a real process against a local OTLP/HTTP sink.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startSimulator } from '@arangops/arangodb-sim';
import { describe, expect, it } from 'vitest';
import { tempDir } from './harness/temp-dir.js';

const BIN = join(import.meta.dirname, '../packages/cli/src/bin.ts');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@arangops/source', '--import', 'tsx', BIN, ...args],
      { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('traces exported over OTLP', () => {
  it('carry no secret from a flag, the environment or the config file', async () => {
    const secrets = {
      flag: 'flag-Secret-4711-arango',
      env: 'env-Secret-0815-aws-key',
      file: 'file-Secret-2342-metrics',
    };
    const sim = await startSimulator({ mode: 'cluster', auth: { users: { root: secrets.flag } } });
    const bodies: Buffer[] = [];
    const sink = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/traces') bodies.push(Buffer.concat(chunks));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const dir = tempDir('otlp-secrets');
    const configFile = join(dir, 'arangops.yaml');
    writeFileSync(
      configFile,
      `exporter:\n  basicAuth:\n    username: prometheus\n    password: ${secrets.file}\nrunRecords:\n  dir: ${join(dir, 'runs')}\n`,
    );
    try {
      const { code, stderr } = await runCli(
        ['--config', configFile, '--set', `arango.password=${secrets.flag}`, 'drift'],
        {
          ARANGO_URL: sim.url,
          AWS_SECRET_ACCESS_KEY: secrets.env,
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
          // Asking for the process detector by name must not bring the command line back.
          OTEL_NODE_RESOURCE_DETECTORS: 'all',
        },
      );
      // 0 or 1: drift ran (the seeded simulator may differ from the profile); not an error.
      expect([0, 1], stderr).toContain(code);
    } finally {
      sink.close();
      await sim.stop();
    }
    const sent = Buffer.concat(bodies);
    // The sink did receive the run's trace (protobuf keeps strings as UTF-8 bytes).
    expect(sent.includes('arangops drift')).toBe(true);
    for (const secret of Object.values(secrets)) expect(sent.includes(secret), secret).toBe(false);
  }, 60_000);
});
