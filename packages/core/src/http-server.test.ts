import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startHttpServer } from './http-server.js';
import { createLogger } from './logger.js';
import { exposureWarnings } from './security-warnings.js';

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

  it('says when a response is over with its body: not while the client has yet to read it', async () => {
    // Larger than what the socket buffers of loopback take in before the client reads.
    const body = Buffer.alloc(32 * 2 ** 20, 'a');
    const done: string[] = [];
    let next = 0;
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics: async () => {
        const id = String(next++);
        return { contentType: 'text/plain', body, done: () => done.push(id) };
      },
    });
    try {
      const request = () => {
        const socket = connect(server.port, '127.0.0.1');
        socket.pause();
        socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        return socket;
      };
      const slow = request();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toEqual([]);
      let received = 0;
      slow.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      slow.resume();
      await new Promise((resolve) => slow.once('close', resolve));
      expect(received).toBeGreaterThan(body.length);
      expect(done).toEqual(['0']);
      // A client that goes away mid-response ends it too.
      const gone = request();
      await new Promise((resolve) => setTimeout(resolve, 300));
      gone.destroy();
      await expect.poll(() => done).toEqual(['0', '1']);
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

  it('warns of an open /metrics and of basic auth over plain HTTP, even at --log-level error', async () => {
    const lines: string[] = [];
    const quiet = createLogger({ level: 'error', destination: { write: (l) => lines.push(l) } });
    const open = await startHttpServer({ host: '0.0.0.0', port: 0, logger: quiet, metrics: page });
    await open.close();
    const clear = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: quiet,
      metrics: page,
      basicAuth: { username: 'prom', password: 'pw-123456' },
    });
    await clear.close();
    const warnings = lines.map((l) => JSON.parse(l) as { level: string; msg: string; security?: boolean });
    expect(warnings.map((w) => [w.level, w.security, w.msg.split(':')[0]])).toEqual([
      ['warn', true, '/metrics is served on 0.0.0.0 without authentication or TLS'],
      ['warn', true, 'basic auth over plain HTTP sends the /metrics password in clear text'],
    ]);
    expect(exposureWarnings({ host: '127.0.0.1' })).toEqual([]);
    expect(
      exposureWarnings({
        host: '0.0.0.0',
        basicAuth: { username: 'u', password: 'p' },
        tls: { certFile: 'c', keyFile: 'k' },
      }),
    ).toEqual([]);
  });

  it('bounds the sockets one client may hold open', async () => {
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      metrics: page,
      maxConnectionsPerClient: 3,
    });
    const sockets: Socket[] = [];
    try {
      const closed = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const socket = connect(server.port, '127.0.0.1');
          sockets.push(socket);
          await new Promise((r) => socket.once('connect', r));
          // Held open for 300 ms unless the server closes it first.
          return new Promise<boolean>((r) => {
            socket.once('close', () => r(true));
            setTimeout(() => r(false), 300);
          });
        }),
      );
      expect(closed.filter(Boolean)).toHaveLength(2);
      // The sockets within the limit still get answers.
      const kept = sockets[closed.indexOf(false)]!;
      kept.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      const head = await new Promise<string>((r) => kept.once('data', (b: Buffer) => r(b.toString())));
      expect(head).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });
});
