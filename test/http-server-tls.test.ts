/** The metrics server of every role over HTTPS, with basic auth: what a TLS-scraping Prometheus sees. */
import { readFileSync } from 'node:fs';
import { createLogger, startHttpServer } from '@arangops/core';
import { Agent, fetch as undiciFetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { makeTestCertificates } from './harness/tls.js';

describe('startHttpServer with TLS', () => {
  it('serves /metrics over HTTPS with the configured certificate, behind basic auth', async () => {
    const { caFile, certFile, keyFile } = makeTestCertificates();
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
      metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'arangops_up 1\n' }),
      tls: { certFile, keyFile },
      basicAuth: { username: 'prom', password: 'scrape-secret' },
    });
    const trusting = new Agent({ connect: { ca: readFileSync(caFile, 'utf8') } });
    const authorization = `Basic ${Buffer.from('prom:scrape-secret').toString('base64')}`;
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const page = await undiciFetch(`${server.url}/metrics`, {
        dispatcher: trusting,
        headers: { authorization },
      });
      expect(page.status).toBe(200);
      expect(await page.text()).toBe('arangops_up 1\n');
      expect((await undiciFetch(`${server.url}/metrics`, { dispatcher: trusting })).status).toBe(401);
      // A client that does not trust the CA is refused by TLS itself.
      await expect(undiciFetch(`${server.url}/healthz`)).rejects.toThrow();
    } finally {
      await trusting.close();
      await server.close();
    }
  });
});
