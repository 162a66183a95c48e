/**
 * The one way arangops talks to ArangoDB: an arangojs Database configured from
 * {@link ArangoConfig}, plus {@link ArangoConnection.withRetry} for operations
 * that should survive transient failures.
 */
import { readFileSync, statSync } from 'node:fs';
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
  readonly endpoints: string[];
  close(): void;
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
    ...(config.jwtFile ? { beforeRequest: bearerFrom(config.jwtFile) } : {}),
    ...(config.jwtFile ? {} : { auth: { username: config.username, password: config.password ?? '' } }),
    ...(config.tls.caFile || config.tls.insecure ? { agentOptions: tlsAgentOptions(config) } : {}),
  });
  const databases = new Map<string, Database>([[config.database, root]]);
  // One warning per outage: while requests keep failing, further retries log at debug level.
  let retryWarned = false;

  return {
    endpoints: config.url,
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
    },
  };
}

/** Re-reads the token file only when it changed, so a rotated token is used from the next request on. */
function bearerFrom(jwtFile: string): (req: globalThis.Request) => void {
  let cached: { mtimeMs: number; token: string } | undefined;
  const where = { file: jwtFile, field: 'arango.jwtFile' };
  return (req) => {
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
    req.headers.set('authorization', `bearer ${cached.token}`);
  };
}

function tlsAgentOptions(config: ArangoConfig): { connect: { ca?: string; rejectUnauthorized: boolean } } {
  return {
    connect: {
      ...(config.tls.caFile ? { ca: readFileSync(config.tls.caFile, 'utf8') } : {}),
      rejectUnauthorized: !config.tls.insecure,
    },
  };
}
