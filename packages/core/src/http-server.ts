/**
 * The small HTTP server of every long-running role: /metrics, /healthz,
 * /readyz. Liveness says only that the process serves requests; readiness is
 * the role's to decide. Stops gracefully: in-flight requests finish, idle
 * keep-alive sockets close.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { InputError } from './errors.js';
import type { Logger } from './logger.js';

export interface MetricsPage {
  contentType: string;
  /** Text, or UTF-8 bytes: a page assembled from other servers' bodies is never decoded. */
  body: string | Buffer;
}

export interface HttpServerOptions {
  host?: string;
  port: number;
  logger: Logger;
  /** `headers` are the request's, lower-cased (e.g. Prometheus's `x-prometheus-scrape-timeout-seconds`). */
  metrics: (req: {
    accept: string | undefined;
    headers: Record<string, string | string[] | undefined>;
  }) => Promise<MetricsPage>;
  ready?: () => boolean | Promise<boolean>;
  /** Protects /metrics; probes stay open so the kubelet needs no credentials. */
  basicAuth?: { username: string; password: string };
  tls?: { certFile: string; keyFile: string };
}

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  // Every page is fresh: hashing a megabyte of metrics for an ETag nobody revalidates is waste.
  app.set('etag', false);

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  app.get('/readyz', async (_req, res) => {
    const ready = options.ready ? await Promise.resolve(options.ready()).catch(() => false) : true;
    res
      .status(ready ? 200 : 503)
      .type('text/plain')
      .send(ready ? 'ready\n' : 'not ready\n');
  });
  app.get('/metrics', async (req: Request, res: Response) => {
    if (options.basicAuth && !authorized(req.headers.authorization, options.basicAuth)) {
      res
        .set('www-authenticate', 'Basic realm="arangops"')
        .status(401)
        .type('text/plain')
        .send('unauthorized\n');
      return;
    }
    try {
      const page = await options.metrics({ accept: req.headers.accept, headers: req.headers });
      res.set('content-type', page.contentType).send(page.body);
    } catch (e) {
      logger.error({ err: e }, 'metrics collection failed');
      res.status(500).type('text/plain').send('metrics collection failed\n');
    }
  });

  const server: Server = options.tls
    ? createHttpsServer(
        { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) },
        app,
      )
    : createHttpServer(app);
  const bindHost = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => {
      // A taken or forbidden address is the operator's to fix, not a bug: name it.
      const reason = e.code === 'EADDRINUSE' ? 'address already in use' : (e.code ?? e.message);
      reject(
        new InputError(
          `cannot listen on ${bindHost}:${options.port}: ${reason}`,
          { field: 'port' },
          { cause: e },
        ),
      );
    };
    server.once('error', failed);
    server.listen(options.port, bindHost, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url }, 'listening');

  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // A keep-alive socket becomes idle only when its in-flight response ends; sweep until close completes.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close((err) => {
          clearInterval(sweep);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function authorized(header: string | undefined, expected: { username: string; password: string }): boolean {
  if (!header?.toLowerCase().startsWith('basic ')) return false;
  const given = Buffer.from(Buffer.from(header.slice(6).trim(), 'base64').toString('utf8'));
  const wanted = Buffer.from(`${expected.username}:${expected.password}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
