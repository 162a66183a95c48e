import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tempDir } from '../../../test/harness/temp-dir.js';
import { baseConfigSchema } from './config.js';
import { configReference, envName, loadConfig } from './config-loader.js';
import { ConfigError } from './errors.js';

function tempFile(name: string, text: string): string {
  const file = join(tempDir('config'), name);
  writeFileSync(file, text);
  return file;
}

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives every default for an empty configuration', () => {
    const config = loadConfig(baseConfigSchema, {});
    expect(config.arango).toMatchObject({
      url: ['http://127.0.0.1:8529'],
      database: '_system',
      username: 'root',
      timeoutMs: 10_000,
      tls: { insecure: false },
      retries: { max: 3, baseDelayMs: 200, maxDelayMs: 5_000 },
    });
    expect(config.log.level).toBe('info');
  });

  it('ranks flags over ARANGOPS_* over standard variables over the file', () => {
    const file = tempFile(
      'c.yaml',
      'arango:\n  username: from-file\n  database: filedb\n  timeoutMs: 1000\n',
    );
    const config = loadConfig(baseConfigSchema, {
      file,
      env: {
        ARANGO_USERNAME: 'from-standard',
        ARANGOPS_ARANGO_DATABASE: 'envdb',
        ARANGOPS_ARANGO_TIMEOUT_MS: '2000',
      },
      flags: { 'arango.timeoutMs': 3000 },
    });
    expect(config.arango.username).toBe('from-standard');
    expect(config.arango.database).toBe('envdb');
    expect(config.arango.timeoutMs).toBe(3000);

    const both = loadConfig(baseConfigSchema, {
      env: { ARANGO_USERNAME: 'std', ARANGOPS_ARANGO_USERNAME: 'ours' },
    });
    expect(both.arango.username).toBe('ours');
  });

  it('reads lists, numbers and booleans from the environment', () => {
    const config = loadConfig(baseConfigSchema, {
      env: {
        ARANGO_URL: 'http://a:8529, http://b:8529',
        ARANGOPS_ARANGO_TLS_INSECURE: 'true',
        ARANGOPS_ARANGO_RETRIES_MAX: '5',
      },
    });
    expect(config.arango.url).toEqual(['http://a:8529', 'http://b:8529']);
    expect(config.arango.tls.insecure).toBe(true);
    expect(config.arango.retries.max).toBe(5);
  });

  it('lists every problem at once, each with its path and where the value came from', () => {
    const file = tempFile('bad.yaml', 'arango:\n  timeoutMs: -1\n  colour: blue\nlog:\n  level: loud\n');
    const err = configErrorOf(() =>
      loadConfig(baseConfigSchema, {
        file,
        env: { ARANGOPS_ARANGO_TLS_CA_FILE: '/x/ca.pem', ARANGO_URL: 'ftp://nope' },
      }),
    );
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
    expect(byPath['arango.tls.caFile']).toBe(
      'file not found: /x/ca.pem (from env ARANGOPS_ARANGO_TLS_CA_FILE)',
    );
    expect(byPath['arango.url.0']).toMatch(/^must be an http:\/\/ or https:\/\/ URL/);
    expect(byPath['arango.timeoutMs']).toMatch(/>0.*\(from file .*bad\.yaml\)/);
    expect(byPath['log.level']).toMatch(/Invalid option/);
    expect(err.issues.find((i) => i.message.includes('colour'))?.path).toBe('arango');
    expect(err.issues).toHaveLength(5);
    expect(err.message).toContain('invalid configuration (5 problems):');
    expect(err.exitCode).toBe(2);
  });

  it('refuses credentials inside an endpoint URL without echoing them', () => {
    const err = configErrorOf(() =>
      loadConfig(baseConfigSchema, { env: { ARANGO_URL: 'http://root:s3cret@db:8529' } }),
    );
    expect(err.issues).toEqual([
      {
        path: 'arango.url.0',
        message:
          'must not contain credentials: set arango.username and arango.password instead (from env ARANGO_URL)',
      },
    ]);
    expect(err.message).not.toContain('s3cret');
  });

  it('names the file, line and column of a YAML syntax error', () => {
    const file = tempFile('broken.yaml', 'arango:\n  url: [http://a\n  database: x\n');
    const err = configErrorOf(() => loadConfig(baseConfigSchema, { file }));
    expect(err.issues[0]!.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `),
    );
  });

  it('says when the config file cannot be read', () => {
    const err = configErrorOf(() => loadConfig(baseConfigSchema, { file: '/nonexistent/arangops.yaml' }));
    expect(err.message).toBe(
      'invalid configuration: cannot read config file /nonexistent/arangops.yaml: ENOENT',
    );
  });
});

describe('configReference', () => {
  it('derives environment names from paths', () => {
    expect(envName('exporter.collectors.serverMetrics.timeoutMs')).toBe(
      'ARANGOPS_EXPORTER_COLLECTORS_SERVER_METRICS_TIMEOUT_MS',
    );
  });

  it('lists every leaf with type, default, aliases and the secret mark', () => {
    const rows = configReference(baseConfigSchema);
    const password = rows.find((r) => r.path === 'arango.password')!;
    expect(password).toMatchObject({
      env: 'ARANGOPS_ARANGO_PASSWORD',
      aliases: ['ARANGO_PASSWORD'],
      secret: true,
    });
    expect(rows.find((r) => r.path === 'arango.url')).toMatchObject({
      type: 'string[]',
      aliases: ['ARANGO_URL'],
    });
    expect(rows.find((r) => r.path === 'log.level')!.type).toContain('"debug"');
    expect(rows.every((r) => r.description.length > 0)).toBe(true);
  });

  it('works for any zod object', () => {
    const rows = configReference(
      z.object({ a: z.object({ bC: z.number().default(1).describe('x') }).prefault({}) }),
    );
    expect(rows).toEqual([
      {
        path: 'a.bC',
        env: 'ARANGOPS_A_B_C',
        aliases: [],
        type: 'number',
        default: 1,
        description: 'x',
        secret: false,
      },
    ]);
  });
});
