import { FetchFailedError, HttpError, isArangoError, isNetworkError } from 'arangojs/errors';
import { ArangoServerError, ConnectionError, networkErrorCode } from './errors.js';

/**
 * ArangoDB error numbers that mean "try again later", not "you asked for
 * something wrong": lock timeout (18), server shutting down (30), deadlock (28),
 * cluster timeout (1457), and the cluster's transient leadership/replication
 * states (1478, 1482, 1487).
 */
export const RETRYABLE_ERROR_NUMS: ReadonlySet<number> = new Set([18, 28, 30, 1457, 1478, 1482, 1487]);

/**
 * Why a request never got an answer, when a later try may meet better luck: the server
 * restarting or overloaded, a network or DNS blip. Anything else (a port fetch refuses, an
 * unknown host, a certificate the server does not match) fails the same way every time.
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Whether repeating the request cannot do harm and may succeed. A network
 * error after the request was sent is not safe for a write (arangojs tells us
 * via isSafeToRetry); a failed fetch is worth repeating only for a transient
 * reason; an ArangoDB error is safe only when it is transient.
 */
export function isSafeToRetry(e: unknown): boolean {
  const cause = e instanceof ConnectionError || e instanceof ArangoServerError ? e.cause : e;
  if (e instanceof ArangoServerError && cause === undefined) return isTransient(e.code, e.errorNum);
  if (isArangoError(cause)) return isTransient(cause.code ?? 0, cause.errorNum);
  if (cause instanceof HttpError) return cause.code === 503;
  if (isNetworkError(cause)) {
    if (cause.isSafeToRetry === false) return false;
    if (cause instanceof FetchFailedError) return TRANSIENT_NETWORK_CODES.has(networkErrorCode(cause) ?? '');
    return true;
  }
  return false;
}

function isTransient(code: number, errorNum: number): boolean {
  return code === 503 || RETRYABLE_ERROR_NUMS.has(errorNum);
}

export interface BackoffPolicy {
  max: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries from many pods spread out. */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
}
