/**
 * The arangops error hierarchy. Every error a role throws on purpose is an
 * {@link ArangopsError}; the CLI's single top-level catch maps it to an exit
 * code and a one-line message. Anything else is a bug ({@link InternalError}).
 */
import { HttpError, isArangoError, isNetworkError, type NetworkError } from 'arangojs/errors';

/** Process exit codes: distinct so a CronJob's backoffLimit and an operator can tell what happened. */
export const EXIT_CODES = {
  ok: 0,
  /** The job ran and found a problem (drift, a failed verification); its report says what. */
  findings: 1,
  /** Bad input: config, profile, flags, a file. Retrying will not help. */
  input: 2,
  /** A service could not be reached or was not ready in time. Retrying may help. */
  unavailable: 3,
  /** ArangoDB (or S3/KMS) answered with an error. */
  server: 4,
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export class ArangopsError extends Error {
  override name = 'ArangopsError';
  readonly exitCode: ExitCode = EXIT_CODES.internal;
}

export interface ConfigIssue {
  /** Dotted path of the offending setting, e.g. `arango.tls.caFile`. */
  path: string;
  message: string;
}

export class ConfigError extends ArangopsError {
  override name = 'ConfigError';
  override readonly exitCode = EXIT_CODES.input;
  constructor(
    readonly issues: ConfigIssue[],
    options?: ErrorOptions,
  ) {
    super(
      issues.length === 1
        ? `invalid configuration: ${formatIssue(issues[0]!)}`
        : `invalid configuration (${issues.length} problems):\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`,
      options,
    );
  }
}

function formatIssue(issue: ConfigIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export interface InputLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

/** Bad input that is not configuration: a profile, a report, a flag value. The location is part of the message. */
export class InputError extends ArangopsError {
  override name = 'InputError';
  override readonly exitCode = EXIT_CODES.input;
  constructor(
    message: string,
    readonly location: InputLocation = {},
    options?: ErrorOptions,
  ) {
    super(`${formatLocation(location)}${message}`, options);
  }
}

function formatLocation({ file, line, column, field }: InputLocation): string {
  let where = file ?? '';
  if (file && line !== undefined) where += `:${line}${column !== undefined ? `:${column}` : ''}`;
  if (field) where += where ? ` (${field})` : field;
  return where ? `${where}: ` : '';
}

export class ConnectionError extends ArangopsError {
  override name = 'ConnectionError';
  override readonly exitCode = EXIT_CODES.unavailable;
}

/** ArangoDB answered with an error body; `errorNum` is ArangoDB's, `code` the HTTP status. */
export class ArangoServerError extends ArangopsError {
  override name = 'ArangoServerError';
  override readonly exitCode = EXIT_CODES.server;
  constructor(
    message: string,
    readonly errorNum: number,
    readonly code: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The job completed and its findings mean failure (drift found, verification failed). */
export class FindingsError extends ArangopsError {
  override name = 'FindingsError';
  override readonly exitCode = EXIT_CODES.findings;
}

export class InternalError extends ArangopsError {
  override name = 'InternalError';
  override readonly exitCode = EXIT_CODES.internal;
}

export function isArangopsError(e: unknown): e is ArangopsError {
  return e instanceof ArangopsError;
}

export function isArangoServerError(e: unknown, errorNum?: number): e is ArangoServerError {
  return e instanceof ArangoServerError && (errorNum === undefined || e.errorNum === errorNum);
}

/**
 * Maps anything thrown (arangojs errors included) into the hierarchy, so callers
 * handle one family. arangojs' NetworkError covers refused connections, timeouts
 * and HTTP errors without an ArangoDB body.
 */
export function toArangopsError(e: unknown): ArangopsError {
  if (e instanceof ArangopsError) return e;
  if (isArangoError(e)) {
    // The errorNum is what ArangoDB's error table and support answers are keyed by.
    const message = `${e.message} (HTTP ${e.code ?? 500}, errorNum ${e.errorNum})`;
    return new ArangoServerError(message, e.errorNum, e.code ?? 500, { cause: e });
  }
  if (e instanceof HttpError)
    return new ArangoServerError(`HTTP ${e.code}: ${e.message}`, 0, e.code, { cause: e });
  if (isNetworkError(e)) return new ConnectionError(describeNetworkError(e), { cause: e });
  if (e instanceof Error) return new InternalError(e.message, { cause: e });
  return new InternalError(String(e));
}

/** The failing endpoint and the lowest-level reason: `cannot reach ArangoDB at http://db:8529: bad port`. */
function describeNetworkError(e: NetworkError): string {
  const root = rootCause(e);
  const code = networkErrorCode(e);
  const reason = code && !root.message.includes(code) ? `${root.message} (${code})` : root.message;
  const url = e.request?.url ?? '';
  return URL.canParse(url) ? `cannot reach ArangoDB at ${new URL(url).origin}: ${reason}` : reason;
}

function rootCause(e: Error): Error {
  let cause = e;
  for (let depth = 0; cause.cause instanceof Error && depth < 8; depth++) cause = cause.cause;
  return cause;
}

/** The system or undici code behind a network error (`ECONNREFUSED`, `UND_ERR_SOCKET`), if there is one. */
export function networkErrorCode(e: Error): string | undefined {
  let cause: unknown = e;
  for (let depth = 0; cause instanceof Error && depth < 8; depth++, cause = cause.cause) {
    const { code } = cause as { code?: unknown };
    if (typeof code === 'string') return code;
  }
  return undefined;
}
