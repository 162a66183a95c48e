/**
 * `backup decrypt`: a complete backup into a plain arangodump directory for arangorestore. The
 * manifest's seal is checked first; every object is decrypted (only authenticated frames come out)
 * and its sizes and SHA-256s compared with the manifest. The directory appears only when every
 * file checked: it is written under a temporary name and renamed.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InputError } from '@arangops/core';
import { keyError } from '../crypto/envelope.js';
import type { BackupKey } from '../crypto/keys.js';
import { BackupIntegrityError } from '../errors.js';
import { backupPrefix } from '../format/layout.js';
import { type Manifest, readManifest } from '../format/manifest.js';
import type { BackupStore } from '../store/types.js';
import { hashTap } from './hash-tap.js';

export async function decryptBackup(
  store: BackupStore,
  backupId: string,
  key: BackupKey,
  dir: string,
): Promise<Manifest> {
  const target = resolve(dir);
  if (await hasEntries(target)) throw new InputError('exists and is not empty', { file: target });
  const { manifest, cipher } = await readManifest(store, backupId, { key });
  const tmp = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  await mkdir(tmp, { recursive: true });
  try {
    for (const file of manifest.files) {
      const stored = hashTap();
      const plain = hashTap();
      const source = await store.get(`${backupPrefix(backupId)}${file.object}`);
      const decrypt = cipher!.decryptStream();
      let cryptoFailure: unknown;
      decrypt.once('error', (e) => {
        cryptoFailure ??= e;
      });
      try {
        await pipeline(source, stored.stream, decrypt, plain.stream, createWriteStream(join(tmp, file.name)));
      } catch (e) {
        throw cryptoFailure ? keyError(cryptoFailure, 'decrypt') : e;
      }
      const where = `${store.url}${backupPrefix(backupId)}${file.object}`;
      if (stored.bytes() !== file.storedBytes || stored.sha256() !== file.storedSha256) {
        throw new BackupIntegrityError(`${where}: stored object differs from the manifest (size or SHA-256)`);
      }
      if (plain.bytes() !== file.plainBytes || plain.sha256() !== file.plainSha256) {
        throw new BackupIntegrityError(
          `${where}: decrypted file differs from the manifest (size or SHA-256)`,
        );
      }
    }
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return manifest;
}

async function hasEntries(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch {
    return false;
  }
}
