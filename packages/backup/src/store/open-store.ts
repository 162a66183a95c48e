import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '@arangops/core';
import { fileStore } from './file-store.js';
import { type S3StoreOptions, s3Store } from './s3-store.js';
import type { BackupStore } from './types.js';

export type StoreOptions = S3StoreOptions;

/** `s3://bucket/prefix` or `file:///absolute/path` (a bare path is taken as a folder too). */
export function openStore(url: string, options: StoreOptions): BackupStore {
  if (url.startsWith('s3://')) {
    const rest = url.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    let prefix = slash < 0 ? '' : rest.slice(slash + 1);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new InputError(`"${bucket}" is not an S3 bucket name`, { field: '--store' });
    }
    if (prefix && !prefix.endsWith('/')) prefix += '/';
    return s3Store(bucket, prefix, `s3://${bucket}/${prefix}`, options);
  }
  if (url.startsWith('file:')) {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch {
      throw new InputError(`"${url}" is not a file URL: use file:///absolute/path`, { field: '--store' });
    }
    return fileStore(path, url);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new InputError(`unsupported store "${url}": use s3://bucket/prefix or file:///path`, {
      field: '--store',
    });
  }
  return fileStore(resolve(url), url);
}
