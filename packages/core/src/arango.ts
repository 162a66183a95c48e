/**
 * The one way arangops talks to ArangoDB: an arangojs Database configured from
 * {@link ArangoConfig}, plus {@link ArangoConnection.withRetry} for operations
 * that should survive transient failures.
 */
import { readFileSync, statSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Database } from 'arangojs';
import type { ArangoConfig } from './config.js';
import { InputError, toArangopsError } from './errors.js';
import type { Logger } from './logger.js';
import { backoffDelay, isSafeToRetry } from './retry.js';
import { registerSecret } from './secrets.js';
import { INSECURE_TLS_WARNING, warnSecurity } from './security-warnings.js';

export interface ArangoConnection {
  /** The arangojs Database for `name` (default: the configured database); one per name, sharing connections. */
  database(name?: string): Database;
  /** Runs `fn`, retrying with backoff while it fails in a way that is safe to retry; errors come out as ArangopsErrors. */
  withRetry<T>(label: string, fn: () => Promise<T>): Promise<T>;
  /**
   * GETs a path of the configured database as raw bytes, the body as it came off the socket
   * (metrics pages). arangojs reads a binary body into a Blob and hands out only that: a copy
   * of the body kept outside V8's heap, freed only when a full GC collects the Blob, and a
   * second copy to read it. Same endpoints, credentials (the password, or the JWT file re-read
   * when it changes) and TLS settings as the arangojs connection; a connection that cannot be
   * made moves on to the next endpoint, as arangojs does.
   */
  requestBytes(request: BytesRequest): Promise<Uint8Array>;
  readonly endpoints: string[];
  close(): void;
}

export interface BytesRequest {
  /** Below the configured database, as for `database().request()`: `/_admin/metrics/v2`. */
  pathname: string;
  search?: Record<string, string>;
  /** Milliseconds until the request, its body included, is given up. */
  timeout: number;
}

export interface ArangoConnectionOptions {
  logger?: Logger;
}

export function createArangoConnection(
  config: ArangoConfig,
  options: ArangoConnectionOptions = {},
): ArangoConnection {
  const { logger } = options;
  registerSecret(config.password);
  const token = config.jwtFile ? bearerFrom(config.jwtFile) : undefined;
  if (config.tls.insecure) {
    if (logger) warnSecurity(logger, [INSECURE_TLS_WARNING]);
  }
  const root = new Database({
    url: config.url,
    databaseName: config.database,
    timeout: config.timeoutMs,
    poolSize: config.maxConcurrentRequests,
    // On a refused connection arangojs moves on to the next endpoint; retries
    // of other failures are ours (withRetry), where we know what is safe.
    maxRetries: 0,
    ...(config.jwtFile
      ? {
          beforeRequest: (req: globalThis.Request) => {
            req.headers.set('authorization', (token as () => string)());
          },
        }
      : {}),
    ...(config.jwtFile ? {} : { auth: { username: config.username, password: config.password ?? '' } }),
    ...(config.tls.caFile || config.tls.insecure ? { agentOptions: tlsAgentOptions(config) } : {}),
  });
  const databases = new Map<string, Database>([[config.database, root]]);
  const bytes = bytesRequester(config, token);
  // One warning per outage: while requests keep failing, further retries log at debug level.
  let retryWarned = false;

  return {
    endpoints: config.url,
    requestBytes: bytes.request,
    database(name = config.database) {
      let db = databases.get(name);
      if (!db) {
        db = root.database(name);
        databases.set(name, db);
      }
      return db;
    },
    async withRetry<T>(label: string, fn: () => Promise<T>): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await fn();
          retryWarned = false;
          return result;
        } catch (e) {
          if (attempt >= config.retries.max || !isSafeToRetry(e)) throw toArangopsError(e);
          const delayMs = Math.round(backoffDelay(config.retries, attempt));
          const level = retryWarned ? 'debug' : 'warn';
          retryWarned = true;
          logger?.[level](
            { operation: label, attempt: attempt + 1, delayMs, err: toArangopsError(e).message },
            'retrying',
          );
          await sleep(delayMs);
        }
      }
    },
    close() {
      root.close();
      bytes.close();
    },
  };
}

/** The Authorization header from the token file, re-read only when it changed, so a rotated token is used from the next request on. */
function bearerFrom(jwtFile: string): () => string {
  let cached: { mtimeMs: number; token: string } | undefined;
  const where = { file: jwtFile, field: 'arango.jwtFile' };
  return () => {
    try {
      const { mtimeMs } = statSync(jwtFile);
      if (!cached || cached.mtimeMs !== mtimeMs) {
        const token = readFileSync(jwtFile, 'utf8').trim();
        // Sent empty, the token would earn a bare 401 that names nothing.
        if (!token) throw new InputError('the JWT file is empty', where);
        registerSecret(token);
        cached = { mtimeMs, token };
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`cannot read the JWT file: ${(e as NodeJS.ErrnoException).code ?? e}`, where, {
        cause: e,
      });
    }
    return `bearer ${cached.token}`;
  };
}

/** What Node's http(s) agents take of the TLS settings; arangojs's undici Agent takes the same under `connect`. */
function tlsOptions(config: ArangoConfig): { ca?: string; rejectUnauthorized: boolean } {
  return {
    ...(config.tls.caFile ? { ca: readFileSync(config.tls.caFile, 'utf8') } : {}),
    rejectUnauthorized: !config.tls.insecure,
  };
}

/** No answer began: the next endpoint may give one. */
class NotConnectedError extends Error {}

/**
 * Raw GETs beside arangojs, with its endpoints, credentials and TLS settings (see
 * ArangoConnection.requestBytes). Through Node's own http client rather than fetch: a body read
 * through fetch's web streams costs twice the CPU and several times the young-generation
 * collections (packages/exporter/README.md, "CPU: allocating less per scrape"), and a scrape
 * reads nine of them.
 */
function bytesRequester(
  config: ArangoConfig,
  token: (() => string) | undefined,
): { request(request: BytesRequest): Promise<Uint8Array>; close(): void } {
  const basic = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
  const pool = { keepAlive: true, maxSockets: config.maxConcurrentRequests };
  let httpAgent: HttpAgent | undefined;
  let httpsAgent: HttpsAgent | undefined;
  const agentFor = (url: URL): HttpAgent => {
    if (url.protocol !== 'https:') {
      httpAgent ??= new HttpAgent(pool);
      return httpAgent;
    }
    httpsAgent ??= new HttpsAgent({ ...pool, ...tlsOptions(config) });
    return httpsAgent;
  };

  /** One GET within `timeoutMs`, its body included. */
  const get = (url: URL, authorization: string, timeoutMs: number) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const what = `GET ${url.pathname} on ${url.host}`;
      let answered = false;
      const fail = (e: Error) =>
        reject(
          answered
            ? new Error(`${what} failed: ${e.message}`, { cause: e })
            : new NotConnectedError(`${what} failed: ${e.message}`, { cause: e }),
        );
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { agent: agentFor(url), headers: { authorization } }, (res) => {
        answered = true;
        res.on('error', fail);
        if (!res.statusCode || res.statusCode < 200 || res.statusCode > 299) {
          res.resume();
          reject(new Error(`${what} answered ${res.statusCode} ${res.statusMessage}`));
          return;
        }
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
        });
        res.on('end', () =>
          resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)),
        );
      });
      const timer = setTimeout(() => {
        // Thrown as ours, not the endpoint's: a slow server is not a reason to ask the next one.
        answered = true;
        req.destroy(new Error(`no complete answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', fail);
      req.on('close', () => clearTimeout(timer));
      req.end();
    });

  let active = 0;
  const request = async ({ pathname, search, timeout }: BytesRequest): Promise<Uint8Array> => {
    const authorization = token ? token() : basic;
    const deadline = performance.now() + timeout;
    let failed: unknown;
    for (let tried = 0; tried < config.url.length; tried++) {
      const endpoint = config.url[active] as string;
      // Resolved as arangojs does: below the endpoint's own path (a proxy's prefix), if it has one.
      const base = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
      const url = new URL(`_db/${encodeURIComponent(config.database)}${pathname}`, base);
      for (const [name, value] of Object.entries(search ?? {})) url.searchParams.set(name, value);
      try {
        return await get(url, authorization, Math.max(1, Math.round(deadline - performance.now())));
      } catch (e) {
        if (!(e instanceof NotConnectedError) || performance.now() >= deadline) throw e;
        failed = e;
        active = (active + 1) % config.url.length;
      }
    }
    throw failed;
  };
  return {
    request,
    close() {
      httpAgent?.destroy();
      httpsAgent?.destroy();
    },
  };
}

function tlsAgentOptions(config: ArangoConfig): { connect: ReturnType<typeof tlsOptions> } {
  return { connect: tlsOptions(config) };
}
