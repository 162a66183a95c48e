import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tempDir } from '../../../test/harness/temp-dir.js';
import { makeTestCertificates } from '../../../test/harness/tls.js';
import { baseConfigSchema } from './config.js';
import { configReference, envName, loadConfig } from './config-loader.js';
import { ConfigError } from './errors.js';
import { MAX_INPUT_FILE_BYTES } from './yaml-input.js';

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
    expect(byPath['arango.colour']).toMatch(/^unknown setting \(from file .*bad\.yaml\)$/);
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
      'invalid configuration: /nonexistent/arangops.yaml: cannot read config file: ENOENT',
    );
  });
});

describe('loadConfig refuses what it cannot use', () => {
  it('rejects unknown keys in every section, with the path and a "did you mean"', () => {
    // A loose z.object would drop the typo silently, and with it the auth section.
    const schema = z.strictObject({
      exporter: z
        .object({ basicAuth: z.object({ username: z.string() }).optional(), port: z.number().default(1) })
        .prefault({}),
    });
    const file = tempFile('typo.yaml', 'exporter:\n  basic_auth:\n    username: prom\n  colour: blue\n');
    const err = configErrorOf(() =>
      loadConfig(schema, { file, settings: { 'exporter.prot': '9' }, env: {} }),
    );
    expect(err.issues).toEqual([
      {
        path: 'exporter.basic_auth',
        message: `unknown setting; did you mean exporter.basicAuth? (from file ${file})`,
      },
      { path: 'exporter.colour', message: `unknown setting (from file ${file})` },
      { path: 'exporter.prot', message: 'unknown setting; did you mean exporter.port? (from flag --set)' },
    ]);
    const nested = configErrorOf(() =>
      loadConfig(baseConfigSchema, { settings: { 'arango.tls.insecur': 'true' } }),
    );
    expect(nested.issues).toEqual([
      {
        path: 'arango.tls.insecur',
        message: 'unknown setting; did you mean arango.tls.insecure? (from flag --set)',
      },
    ]);
  });

  it('names the first 20 unknown keys of a file full of them and counts the rest', () => {
    const keys = Array.from({ length: 25 }, (_, i) => `  stray${i}: ${i}`);
    const file = tempFile('stray.yaml', `arango:\n${keys.join('\n')}\n`);
    const err = configErrorOf(() => loadConfig(baseConfigSchema, { file }));
    expect(err.issues).toHaveLength(21);
    expect(err.issues[0]!.path).toBe('arango.stray0');
    expect(err.issues[20]).toEqual({ path: '', message: 'and 5 more unknown settings' });
  });

  it('keeps --set values of string settings as text: no YAML, no number, nothing cut off', () => {
    const awkward = ['[{@`%" \\', "it's # not a comment", '0o17', '*alias', 'true', 'null'];
    for (const password of awkward) {
      const config = loadConfig(baseConfigSchema, { settings: { 'arango.password': password } });
      expect(config.arango.password).toBe(password);
    }
    const typed = loadConfig(baseConfigSchema, {
      settings: {
        'arango.timeoutMs': '2500',
        'arango.tls.insecure': 'true',
        'arango.url': '[http://a:8529, http://b:8529]',
      },
    });
    expect(typed.arango).toMatchObject({
      timeoutMs: 2500,
      tls: { insecure: true },
      url: ['http://a:8529', 'http://b:8529'],
    });
  });

  it('reports a bad --set value as a config problem without echoing it', () => {
    const err = configErrorOf(() =>
      loadConfig(baseConfigSchema, { settings: { 'arango.timeoutMs': 's3cret-[value' } }),
    );
    expect(err.exitCode).toBe(2);
    expect(err.issues.map((i) => i.path)).toEqual(['arango.timeoutMs']);
    expect(err.message).not.toContain('s3cret');
  });

  it('never merges __proto__, constructor or prototype keys, from a file or a flag', () => {
    const file = tempFile(
      'proto.yaml',
      '__proto__:\n  pollutedByFile: yes\narango:\n  constructor:\n    prototype:\n      pollutedDeep: yes\n',
    );
    const err = configErrorOf(() =>
      loadConfig(baseConfigSchema, {
        file,
        settings: { '__proto__.pollutedByFlag': 'x', 'arango.constructor.prototype.pollutedFlagDeep': 'x' },
      }),
    );
    const probe = {} as Record<string, unknown>;
    for (const key of ['pollutedByFile', 'pollutedDeep', 'pollutedByFlag', 'pollutedFlagDeep']) {
      expect(probe[key], key).toBeUndefined();
    }
    expect(err.issues.map((i) => i.path)).toEqual([
      '__proto__',
      'arango.constructor',
      '__proto__.pollutedByFlag',
      'arango.constructor.prototype.pollutedFlagDeep',
    ]);
  });

  it('caps timeouts at the longest timer Node.js keeps (2^31-1 ms)', () => {
    expect(
      loadConfig(baseConfigSchema, { settings: { 'arango.timeoutMs': '2147483647' } }).arango.timeoutMs,
    ).toBe(2 ** 31 - 1);
    const err = configErrorOf(() =>
      loadConfig(baseConfigSchema, {
        settings: { 'arango.timeoutMs': '2147483648', 'arango.retries.maxDelayMs': '9999999999' },
      }),
    );
    expect(err.issues.map((i) => i.path)).toEqual(['arango.timeoutMs', 'arango.retries.maxDelayMs']);
    expect(err.issues[0]!.message).toMatch(/at most 2147483647 ms/);
  });

  it('refuses tls.insecure beside a caFile instead of silently preferring one', () => {
    const ca = makeTestCertificates().caFile;
    const err = configErrorOf(() =>
      loadConfig(baseConfigSchema, { settings: { 'arango.tls.caFile': ca, 'arango.tls.insecure': 'true' } }),
    );
    expect(err.issues).toEqual([
      {
        path: 'arango.tls.insecure',
        message:
          'insecure and caFile contradict each other: remove insecure to verify against caFile (from flag --set)',
      },
    ]);
  });
});

describe('config files that would exhaust the loader', () => {
  it('names the file of a YAML alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    const file = tempFile('bomb.yaml', `${bomb.join('\n')}\n`);
    const err = configErrorOf(() => loadConfig(baseConfigSchema, { file }));
    expect(err.issues).toEqual([
      {
        path: '',
        message: `${file}: invalid YAML: Excessive alias count indicates a resource exhaustion attack`,
      },
    ]);
  });

  it('refuses a file above the size limit, naming it', () => {
    const file = tempFile('huge.yaml', `# ${'x'.repeat(MAX_INPUT_FILE_BYTES)}\n`);
    const err = configErrorOf(() => loadConfig(baseConfigSchema, { file }));
    expect(err.issues[0]!.message).toBe(
      `${file}: config file is ${MAX_INPUT_FILE_BYTES + 3} bytes; the limit is ${MAX_INPUT_FILE_BYTES}`,
    );
  });

  it('finds a duplicate key among tens of thousands, with its line', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: ${i}`);
    keys.push('  k17: again');
    const file = tempFile('many.yaml', `arango:\n${keys.join('\n')}\n`);
    const err = configErrorOf(() => loadConfig(baseConfigSchema, { file }));
    expect(err.issues).toEqual([{ path: '', message: `${file}:40002:3: duplicate key "k17"` }]);
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
