/**
 * The key a backup is encrypted under: a KMS key (one data key per backup, wrapped by KMS) or a
 * 256-bit key from a file (base64, as `openssl rand -base64 32` writes it) for users without KMS.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type AwsConfig, InputError, registerSecret } from '@arangops/core';
import {
  type KeyringNode,
  KmsKeyringNode,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { KMS } from '@aws-sdk/client-kms';
import { awsClientConfig } from '../aws.js';
import { KeyError } from '../errors.js';
import { keyError } from './envelope.js';

export interface KeySource {
  kmsKeyId?: string;
  keyFile?: string;
}

export interface BackupKey {
  kind: 'kms' | 'raw-aes';
  /** Names the key without revealing it: the KMS key id, or `key-file:<fingerprint>`. */
  keyId: string;
  keyring: KeyringNode;
}

const KEY_NAMESPACE = 'arangops';
const KEY_NAME = 'backup-key-file';

export async function loadBackupKey(source: KeySource, aws: AwsConfig): Promise<BackupKey> {
  if (source.kmsKeyId && source.keyFile) {
    throw new InputError('set either a KMS key id or a key file, not both', {
      field: '--kms-key-id/--key-file',
    });
  }
  if (source.kmsKeyId) {
    // The keyring calls the aggregated client's methods (generateDataKey, decrypt).
    const client = new KMS(awsClientConfig(aws));
    // Decryption matches wrapped keys by key ARN, so an id or alias is resolved to the ARN once, here.
    let arn: string | undefined;
    try {
      arn = (await client.describeKey({ KeyId: source.kmsKeyId })).KeyMetadata?.Arn;
    } catch (e) {
      throw keyError(e, 'use key');
    }
    if (!arn) throw new KeyError(`KMS key ${source.kmsKeyId} has no ARN`);
    return {
      kind: 'kms',
      keyId: arn,
      keyring: new KmsKeyringNode({ generatorKeyId: arn, clientProvider: () => client }),
    };
  }
  if (source.keyFile) return keyFromFile(source.keyFile);
  throw new InputError(
    'no backup key: set --kms-key-id (ARANGOPS_KMS_KEY_ID) or --key-file (ARANGOPS_KEY_FILE)',
    {
      field: 'backup.kmsKeyId/backup.keyFile',
    },
  );
}

async function keyFromFile(file: string): Promise<BackupKey> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (e) {
    throw new InputError(`cannot read key file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { file });
  }
  registerSecret(text);
  const key = Buffer.from(text, 'base64');
  // The message names the length only: never a byte of the key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== 32) {
    throw new InputError(
      `expected a base64 256-bit key (as "openssl rand -base64 32" writes it), got ${key.length * 8} bits`,
      { file },
    );
  }
  const fingerprint = createHash('sha256').update('arangops key id\0').update(key).digest('hex').slice(0, 16);
  return {
    kind: 'raw-aes',
    keyId: `key-file:${fingerprint}`,
    keyring: new RawAesKeyringNode({
      keyNamespace: KEY_NAMESPACE,
      keyName: KEY_NAME,
      unencryptedMasterKey: new Uint8Array(key),
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    }),
  };
}
