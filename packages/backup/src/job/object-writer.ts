/**
 * Writes one arangodump file into a backup: plaintext → SHA-256/size → Encryption SDK message →
 * SHA-256/size → store, as one stream. Whichever side fails first stops the other; the upload is
 * aborted and the first cause (not the echo of it on the other side) is thrown once both ended.
 */
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { BackupCipher } from '../crypto/envelope.js';
import { keyError } from '../crypto/envelope.js';
import { objectKey } from '../format/layout.js';
import type { ManifestFile } from '../format/manifest.js';
import type { BackupStore } from '../store/types.js';
import { hashTap } from './hash-tap.js';

export async function writeBackupObject(
  store: BackupStore,
  cipher: BackupCipher,
  backupId: string,
  name: string,
  source: Readable,
  { gzip = false, signal }: { gzip?: boolean; signal?: AbortSignal } = {},
): Promise<ManifestFile> {
  signal?.throwIfAborted();
  const plain = hashTap();
  const stored = hashTap();
  const encrypt = cipher.encryptStream();
  const out = new PassThrough();
  let firstError: unknown;
  const first = (e: unknown) => {
    firstError ??= e;
  };
  source.once('error', first);
  // Errors of the Encryption SDK (KMS refusing a data key…) get their own type before anything else sees them.
  encrypt.once('error', (e) => first(keyError(e, 'encrypt')));
  const head = gzip ? [source, createGzip()] : [source];
  // An abort destroys every stream, the upload's body included: the store then aborts the multipart upload.
  const piping = pipeline(
    [...head, plain.stream, encrypt, stored.stream, out],
    signal ? { signal } : {},
  ).catch((e) => {
    first(e);
    throw e;
  });
  const putting = store.put(objectKey(backupId, name), out).catch((e) => {
    first(e);
    source.destroy(e as Error);
    throw e;
  });
  const results = await Promise.allSettled([piping, putting]);
  if (results.some((r) => r.status === 'rejected')) throw signal?.aborted ? signal.reason : firstError;
  const key = objectKey(backupId, name);
  return {
    name,
    object: key.slice(key.lastIndexOf('/') + 1),
    plainBytes: plain.bytes(),
    plainSha256: plain.sha256(),
    storedBytes: stored.bytes(),
    storedSha256: stored.sha256(),
  };
}
