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

/** Success bodies where `error`/`code` follow the payload (explain, index delete). */
export function okAfter(
  body: Record<string, unknown>,
  status = 200,
  headers?: Record<string, string>,
): Reply {
  return { status, body: { ...body, error: false, code: status }, headers };
}

/** Success bodies ending in `code`, then `error` (index create/get, users, grants). */
export function okCodeLast(
  body: Record<string, unknown>,
  status = 200,
  headers?: Record<string, string>,
): Reply {
  return { status, body: { ...body, code: status, error: false }, headers };
}

/** Puts `order`'s keys first, in that order; real servers answer some objects in hash order. */
export function reorder(o: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
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
