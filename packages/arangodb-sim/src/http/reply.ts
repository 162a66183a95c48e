import type { SimError } from '../aql/host.js';

/** What a route handler returns; the server turns it into an HTTP response. */
export interface Reply {
  status: number;
  /** JSON body; `undefined` sends an empty body. */
  body?: unknown;
  /** Non-JSON body (metrics, plain text). */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export function ok(body: Record<string, unknown>, status = 200, headers?: Record<string, string>): Reply {
  return { status, body: { error: false, code: status, ...body }, headers };
}

/** Success bodies where `error`/`code` follow the payload (index create, cursor, gharial…). */
export function okAfter(
  body: Record<string, unknown>,
  status = 200,
  headers?: Record<string, string>,
): Reply {
  return { status, body: { ...body, error: false, code: status }, headers };
}

export function json(body: unknown, status = 200, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

export function errorReply(e: SimError): Reply {
  return {
    status: e.code,
    body: { code: e.code, error: true, errorMessage: e.message, errorNum: e.errorNum },
  };
}
