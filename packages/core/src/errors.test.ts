import { ArangoError, FetchFailedError, HttpError, NetworkError } from 'arangojs/errors';
import { describe, expect, it } from 'vitest';
import {
  ArangoServerError,
  ConfigError,
  ConnectionError,
  EXIT_CODES,
  InputError,
  InternalError,
  isArangoServerError,
  toArangopsError,
} from './errors.js';
import { isSafeToRetry } from './retry.js';

const request = new Request('http://127.0.0.1:8529/_api/version');

function arangoError(code: number, errorNum: number, message = 'x'): ArangoError {
  return new ArangoError({ code, errorNum, errorMessage: message });
}

describe('error hierarchy', () => {
  it('formats input locations into the message', () => {
    expect(
      new InputError('unknown index type "hsah"', { file: 'schema.yaml', line: 12, column: 15 }).message,
    ).toBe('schema.yaml:12:15: unknown index type "hsah"');
    expect(new InputError('must be positive', { field: '--sample' }).message).toBe(
      '--sample: must be positive',
    );
    expect(new InputError('plain').message).toBe('plain');
  });

  it('maps each kind to its exit code', () => {
    expect(new ConfigError([{ path: 'a', message: 'b' }]).exitCode).toBe(EXIT_CODES.input);
    expect(new ConnectionError('x').exitCode).toBe(EXIT_CODES.unavailable);
    expect(new ArangoServerError('x', 1203, 404).exitCode).toBe(EXIT_CODES.server);
    expect(new InternalError('x').exitCode).toBe(EXIT_CODES.internal);
  });

  it('maps arangojs errors', () => {
    const mapped = toArangopsError(arangoError(404, 1203, 'collection or view not found: x'));
    expect(mapped).toBeInstanceOf(ArangoServerError);
    expect(mapped.message).toBe('collection or view not found: x (HTTP 404, errorNum 1203)');
    expect(isArangoServerError(mapped, 1203)).toBe(true);
    expect(isArangoServerError(mapped, 1202)).toBe(false);
    expect(toArangopsError(new NetworkError('fetch failed', request))).toBeInstanceOf(ConnectionError);
    expect(toArangopsError(new TypeError('bug'))).toBeInstanceOf(InternalError);
  });
});

describe('isSafeToRetry', () => {
  it.each([
    [arangoError(503, 503), true],
    [arangoError(500, 18), true],
    [arangoError(500, 1457), true],
    [arangoError(409, 1200), false],
    [arangoError(404, 1203), false],
    [arangoError(400, 1501), false],
  ])('ArangoDB error %# → %s', (e, expected) => {
    expect(isSafeToRetry(e)).toBe(expected);
    expect(isSafeToRetry(toArangopsError(e))).toBe(expected);
  });

  it('retries network errors only when arangojs says the request may be repeated', () => {
    expect(isSafeToRetry(new NetworkError('refused', request, { isSafeToRetry: true }))).toBe(true);
    expect(isSafeToRetry(new NetworkError('reset mid-request', request, { isSafeToRetry: false }))).toBe(
      false,
    );
  });

  it('retries a failed fetch only for a transient reason', () => {
    const failed = (cause: Error) =>
      new FetchFailedError(undefined, request, { cause: new TypeError('fetch failed', { cause }) });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8529'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const unknownHost = Object.assign(new Error('getaddrinfo ENOTFOUND db.invalid'), { code: 'ENOTFOUND' });
    expect(isSafeToRetry(failed(refused))).toBe(true);
    expect(isSafeToRetry(failed(reset))).toBe(true);
    expect(isSafeToRetry(failed(new Error('bad port')))).toBe(false);
    expect(isSafeToRetry(failed(unknownHost))).toBe(false);
    expect(toArangopsError(failed(new Error('bad port'))).message).toBe(
      `cannot reach ArangoDB at ${new URL(request.url).origin}: bad port`,
    );
  });

  it('retries HTTP 503 without an ArangoDB body, not other statuses', () => {
    const res = (status: number) =>
      Object.assign(new Response('', { status }), { request, parsedBody: undefined });
    expect(isSafeToRetry(new HttpError(res(503)))).toBe(true);
    expect(isSafeToRetry(new HttpError(res(500)))).toBe(false);
  });
});
