/**
 * The small HTTP server of every long-running role: /metrics, /healthz,
 * /readyz. Liveness says only that the process serves requests; readiness is
 * the role's to decide. Stops gracefully: in-flight requests finish, idle
 * keep-alive sockets close.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Request, Response } from 'express';
import { InputError } from './errors.js';
import type { Logger } from './logger.js';
import { exposureWarnings, warnSecurity } from './security-warnings.js';

export interface MetricsPage {
  contentType: string;
  /** Text, or UTF-8 bytes: a page assembled from other servers' bodies is never decoded. */
  body: string | Buffer;
  /** Called once the response is over (sent or cut off): until then `body` must stay as it is. */
  done?: () => void;
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
  /** Open sockets at once, all clients together; more are refused. */
  maxConnections?: number;
  /** Open sockets of one client address; a client holding more gets the extra ones closed. */
  maxConnectionsPerClient?: number;
}

/**
 * A few Prometheus servers and probes connect; hundreds of sockets are a leak
 * or an attack. Per client generously: behind a proxy or SNAT, many scrapers
 * share one address.
 */
export const DEFAULT_MAX_CONNECTIONS = 256;
export const DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { logger } = options;
  // Loaded here, not at import: only serving roles need express.
  const { default: express } = await import('express');
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
      // A body handed to the socket is sent from that very buffer, possibly after send() returned.
      if (page.done) res.once('close', page.done);
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
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  limitConnectionsPerClient(
    server,
    options.maxConnectionsPerClient ?? DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
    logger,
  );
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
  warnSecurity(logger, exposureWarnings(options));

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

function limitConnectionsPerClient(server: Server, limit: number, logger: Logger): void {
  const open = new Map<string, number>();
  let warned = false;
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? '';
    const count = (open.get(client) ?? 0) + 1;
    if (count > limit) {
      if (!warned)
        logger.warn({ client, limit }, 'too many connections from one client; closing the extra ones');
      warned = true;
      socket.destroy();
      return;
    }
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left === 0) open.delete(client);
      else open.set(client, left);
    });
  });
}

/** Digests of equal length, so neither the length nor the content of the password leaks through timing. */
function authorized(header: string | undefined, expected: { username: string; password: string }): boolean {
  if (!header?.toLowerCase().startsWith('basic ')) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const given = digest(Buffer.from(header.slice(6).trim(), 'base64').toString('utf8'));
  return timingSafeEqual(given, digest(`${expected.username}:${expected.password}`));
}
