import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ArangoConnection, createLogger, InputError } from '@arangops/core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/harness/temp-dir.js';
import { exporterConfigSchema } from './config.js';
import { createExporter } from './exporter.js';

const logger = createLogger({ level: 'silent' });

/** ArangoDB refusing every request: the page still renders from the exporter's own metrics. */
const unreachable = {
  database: () => ({
    name: 'codevaldcortex',
    request: async () => {
      throw new Error('connect ECONNREFUSED');
    },
  }),
  withRetry: (_l: string, fn: () => Promise<unknown>) => fn(),
  endpoints: ['http://127.0.0.1:1'],
  close() {},
} as unknown as ArangoConnection;

describe('createExporter', () => {
  it('serves /metrics behind basic auth (password from a file), in either format, and /readyz', async () => {
    const dir = tempDir('exporter');
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 's3cret-pw\n');
    const exporter = createExporter({
      config: exporterConfigSchema.parse({
        host: '127.0.0.1',
        port: 0,
        basicAuth: { username: 'prometheus', passwordFile },
      }),
      connection: unreachable,
      logger,
    });
    const server = await exporter.start();
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      const authorization = `Basic ${Buffer.from('prometheus:s3cret-pw').toString('base64')}`;
      const text = await fetch(`${server.url}/metrics`, { headers: { authorization } });
      expect(text.status).toBe(200);
      expect(text.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      expect(await text.text()).toMatch(/^arangops_up 0$/m);
      const open = await fetch(`${server.url}/metrics`, {
        headers: { authorization, accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' },
      });
      expect(open.headers.get('content-type')).toContain('application/openmetrics-text');
      const body = await open.text();
      expect(body.endsWith('# EOF\n')).toBe(true);
      expect(body).toMatch(/^# TYPE arangops_exporter_dropped_label_sets counter$/m);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses to start with a broken metrics.yaml, naming the file', () => {
    const dir = tempDir('exporter');
    const metricsFile = join(dir, 'metrics.yaml');
    writeFileSync(metricsFile, 'version: 2\nmetrics: []\n');
    const create = () =>
      createExporter({
        config: exporterConfigSchema.parse({}),
        connection: unreachable,
        logger,
        metricsFile,
      });
    expect(create).toThrow(InputError);
    expect(create).toThrow(`${metricsFile}:1:10 (version)`);
  });
});
