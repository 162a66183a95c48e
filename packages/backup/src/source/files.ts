/**
 * A dump as a set of plaintext files, wherever it lives: a local folder, or a
 * backup in a store whose objects are decrypted on the way in.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { InputError } from '@arangops/core';
import type { BackupStore } from '../store/types.js';

export interface DumpFile {
  /** Path relative to the dump's root, `/`-separated. */
  path: string;
  /** Size of the stored bytes. */
  size: number;
}

export interface DumpFiles {
  /** Where the dump is, for messages (never holds credentials). */
  readonly location: string;
  list(): Promise<DumpFile[]>;
  /** The file's plaintext bytes (still gzip-compressed when the file is). */
  open(path: string): Promise<Readable>;
}

/** Folders below the root that are read: `--all-databases` writes one per database. */
const MAX_DEPTH = 1;

export async function localDumpFiles(dir: string): Promise<DumpFiles> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new InputError(`${dir} is not a folder holding an arangodump or a backup`, { file: dir });
  }
  return {
    location: dir,
    list: async () => {
      const out: DumpFile[] = [];
      await walk(dir, dir, 0, out);
      return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
    open: async (path) => createReadStream(join(dir, ...path.split('/'))),
  };
}

async function walk(root: string, dir: string, depth: number, out: DumpFile[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH) await walk(root, full, depth + 1, out);
    } else if (entry.isFile()) {
      out.push({ path: relative(root, full).split(sep).join('/'), size: (await stat(full)).size });
    }
  }
}

/** A plain dump kept in a store (S3 prefix or folder): its objects are the files. */
export function storeDumpFiles(store: BackupStore): DumpFiles {
  return {
    location: store.url,
    list: async () => {
      const out: DumpFile[] = [];
      for await (const o of store.list('')) out.push({ path: o.key, size: o.size });
      return out.filter((f) => f.path.split('/').length <= MAX_DEPTH + 1);
    },
    open: (path) => store.get(path),
  };
}
