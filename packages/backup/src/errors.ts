/** Errors of the backup package; the CLI's top-level catch maps them to exit codes. */
import { ArangopsError, EXIT_CODES, type ExitCode } from '@arangops/core';

/** The store (S3 or a folder) failed or refused an operation. Retrying may help. */
export class StoreError extends ArangopsError {
  override name = 'StoreError';
  override readonly exitCode: ExitCode = EXIT_CODES.unavailable;
}

/** Key material could not be used: KMS refused, or a message does not decrypt under this key and context. */
export class KeyError extends ArangopsError {
  override name = 'KeyError';
  override readonly exitCode = EXIT_CODES.server;
}

/** A stored backup is not what its manifest says (missing, edited, or incomplete). */
export class BackupIntegrityError extends ArangopsError {
  override name = 'BackupIntegrityError';
  override readonly exitCode = EXIT_CODES.findings;
}

export function isStoreError(e: unknown): e is StoreError {
  return e instanceof StoreError;
}

export function isKeyError(e: unknown): e is KeyError {
  return e instanceof KeyError;
}

export function isBackupIntegrityError(e: unknown): e is BackupIntegrityError {
  return e instanceof BackupIntegrityError;
}

/** A named object (a backup, a manifest) is not in the store. */
export class ObjectNotFoundError extends StoreError {
  override name = 'ObjectNotFoundError';
  override readonly exitCode: ExitCode = EXIT_CODES.input;
}
