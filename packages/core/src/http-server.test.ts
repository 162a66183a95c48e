import { describe, expect, it } from 'vitest';
import { startHttpServer } from './http-server.js';
import { createLogger } from './logger.js';

const logger = createLogger({ level: 'silent' });
const page = async () => ({
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
  body: 'arangops_up 1\n',
});

describe('startHttpServer', () => {
  it('serves /metrics, /healthz and a /readyz that follows the role', async () => {
    let ready = false;
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics: page,
      ready: () => ready,
    });
    try {
      expect(await (await fetch(`${server.url}/metrics`)).text()).toBe('arangops_up 1\n');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      ready = true;
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('passes the Accept header so the role can choose OpenMetrics', async () => {
    const seen: (string | undefined)[] = [];
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics: async (req) => {
        seen.push(req.accept);
        return page();
      },
    });
    try {
      await fetch(`${server.url}/metrics`, {
        headers: { accept: 'application/openmetrics-text; version=1.0.0' },
      });
      expect(seen).toEqual(['application/openmetrics-text; version=1.0.0']);
    } finally {
      await server.close();
    }
  });

  it('protects /metrics with basic auth but leaves the probes open', async () => {
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics: page,
      basicAuth: { username: 'prom', password: 's3cret-scrape' },
    });
    const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(s).toString('base64')}` });
    try {
      const denied = await fetch(`${server.url}/metrics`);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toBe('Basic realm="arangops"');
      expect((await fetch(`${server.url}/metrics`, { headers: basic('prom:wrong') })).status).toBe(401);
      expect((await fetch(`${server.url}/metrics`, { headers: basic('prom:s3cret-scrape') })).status).toBe(
        200,
      );
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers 500 without crashing when collection throws', async () => {
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics: () => Promise.reject(new Error('boom')),
    });
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(500);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('names the address when the port is taken (a user error, exit 2)', async () => {
    const first = await startHttpServer({ host: '127.0.0.1', port: 0, logger, metrics: page });
    try {
      const second = startHttpServer({ host: '127.0.0.1', port: first.port, logger, metrics: page });
      await expect(second).rejects.toThrow(
        `port: cannot listen on 127.0.0.1:${first.port}: address already in use`,
      );
      await expect(second).rejects.toMatchObject({ exitCode: 2 });
    } finally {
      await first.close();
    }
  });

  it('lets an in-flight request finish when closed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics: async () => {
        await gate;
        return page();
      },
    });
    const inflight = fetch(`${server.url}/metrics`);
    await new Promise((r) => setTimeout(r, 50));
    const closed = server.close();
    release();
    expect((await inflight).status).toBe(200);
    await closed;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
