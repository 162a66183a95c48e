/**
 * Encryption of a backup's objects with the AWS Encryption SDK: framed AES-256-GCM with key
 * commitment and no signature (so streaming decryption releases only authenticated frames). One data
 * key per backup: a materials cache scoped to the backup reuses the key the keyring made for its
 * first object. The encryption context names the database and backup id; decryption refuses a
 * message whose context is not the one expected, before any key is unwrapped.
 */
import type { Duplex } from 'node:stream';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  getLocalCryptographicMaterialsCache,
  NodeCachingMaterialsManager,
  NodeDefaultCryptographicMaterialsManager,
  type NodeMaterialsManager,
} from '@aws-crypto/client-node';
import { BackupIntegrityError, KeyError } from '../errors.js';
import { guardedStream } from './guarded-stream.js';
import type { BackupKey } from './keys.js';

export interface EncryptionScope {
  database: string;
  backupId: string;
}

export const ALGORITHM_SUITE = 'ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY';
const SUITE = AlgorithmSuiteIdentifier[ALGORITHM_SUITE];
export const FRAME_LENGTH = 64 * 1024;
/** Upper bound of one object's plaintext; the SDK needs a bound to reuse a data key across messages. */
const MAX_OBJECT_BYTES = 2 ** 40;
const SEAL_PREFIX = 'arangops-manifest-sha256:';

const client = buildClient({
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
  // Our messages carry one wrapped key; a crafted message with thousands would cost thousands of KMS calls.
  maxEncryptedDataKeys: 3,
});

export function encryptionContext({ database, backupId }: EncryptionScope): Record<string, string> {
  return { 'arangops:database': database, 'arangops:backup-id': backupId };
}

export interface BackupCipher {
  /** A stream that turns one file's plaintext into one Encryption SDK message. */
  encryptStream(): Duplex;
  /** A stream that turns one message of this backup back into plaintext; errors on another context or key. */
  decryptStream(): Duplex;
  /** A small message holding the manifest's digest: proves the manifest came from a holder of the key. */
  seal(manifestSha256: string): Promise<Buffer>;
  /** Throws unless `sealed` seals exactly this digest under this backup's context. */
  checkSeal(sealed: Buffer, manifestSha256: string): Promise<void>;
}

export function backupCipher(key: BackupKey, scope: EncryptionScope): BackupCipher {
  const context = encryptionContext(scope);
  const cmm = new NodeCachingMaterialsManager({
    backingMaterials: contextChecking(
      new NodeDefaultCryptographicMaterialsManager(key.keyring),
      context,
      key.keyId,
    ),
    cache: getLocalCryptographicMaterialsCache(64),
    partition: scope.backupId,
    maxAge: 24 * 3600 * 1000,
  });
  const options = { encryptionContext: context, suiteId: SUITE, frameLength: FRAME_LENGTH };
  return {
    encryptStream: () =>
      guardedStream(client.encryptStream(cmm, { ...options, plaintextLength: MAX_OBJECT_BYTES })),
    decryptStream: () => client.decryptUnsignedMessageStream(cmm),
    async seal(digest) {
      const text = `${SEAL_PREFIX}${digest}`;
      try {
        const { result } = await client.encrypt(cmm, text, options);
        return result;
      } catch (e) {
        throw keyError(e, 'encrypt');
      }
    },
    async checkSeal(sealed, digest) {
      let plaintext: Buffer;
      try {
        ({ plaintext } = await client.decrypt(cmm, sealed));
      } catch (e) {
        throw keyError(e, 'decrypt');
      }
      if (plaintext.toString('utf8') !== `${SEAL_PREFIX}${digest}`) {
        throw new BackupIntegrityError(
          'the manifest does not match its seal: it was changed after the backup was written',
        );
      }
    },
  };
}

/**
 * Refuses to decrypt a message made for another backup or database (a swapped object), and names
 * the key when it unwraps none of the message's data keys (the SDK says only that no key was set).
 */
function contextChecking(
  inner: NodeMaterialsManager,
  expected: Record<string, string>,
  keyId: string,
): NodeMaterialsManager {
  return {
    getEncryptionMaterials: (request) => inner.getEncryptionMaterials(request),
    decryptMaterials: async (request) => {
      for (const [k, v] of Object.entries(expected)) {
        if (request.encryptionContext[k] !== v) {
          throw new KeyError(
            `encryption context mismatch: ${k} is "${request.encryptionContext[k] ?? ''}", expected "${v}"`,
          );
        }
      }
      try {
        return await inner.decryptMaterials(request);
      } catch (e) {
        if (!/unencryptedDataKey has not been set/.test((e as Error).message)) throw e;
        throw new KeyError(
          `key ${keyId} unwraps none of the object's data keys (${request.encryptedDataKeys.map(wrappedBy).join(', ')}): the backup was encrypted with another key`,
        );
      }
    },
  };
}

/** What wrapped a data key: a KMS key's ARN, or a key file (a raw AES key leaves no printable id). */
function wrappedBy(edk: { providerId: string; providerInfo: string }): string {
  return edk.providerId === 'aws-kms' ? `KMS key ${edk.providerInfo}` : 'a key file';
}

/** One line naming what failed: KMS's error name (AccessDenied…) or the SDK's message. */
export function keyError(e: unknown, op: 'encrypt' | 'decrypt' | 'use key'): KeyError {
  if (e instanceof KeyError) return e;
  const err = e as { name?: string; message?: string };
  const kms = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
  return new KeyError(`cannot ${op}: ${kms}${err.message ?? String(e)}`, { cause: e });
}
