import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectNotFoundError, StoreError } from '../errors.js';
import type { BackupStore, StoredObject } from './types.js';

/** Marks files being written; `list` skips them, so a crashed write never looks like an object. */
const PARTIAL = '.partial-';

export function fileStore(root: string, url: string): BackupStore {
  const pathOf = (key: string) => join(root, ...key.split('/'));
  const fail = (op: string, key: string, e: unknown): never => {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ObjectNotFoundError(`${url}: ${key} not found`, { cause: e });
    throw new StoreError(`${url}: cannot ${op} ${key}: ${code ?? (e as Error).message}`, { cause: e });
  };
  return {
    url,
    async put(key, body) {
      const target = pathOf(key);
      const tmp = join(dirname(target), `${PARTIAL}${process.pid}-${Math.random().toString(36).slice(2)}`);
      try {
        await mkdir(dirname(target), { recursive: true });
        const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([body]) : body;
        await pipeline(source, createWriteStream(tmp));
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        if (e instanceof StoreError || !(e as NodeJS.ErrnoException).code) throw e;
        fail('write', key, e);
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        await stat(path);
      } catch (e) {
        fail('read', key, e);
      }
      return createReadStream(path);
    },
    async getBytes(key) {
      try {
        return await readFile(pathOf(key));
      } catch (e) {
        return fail('read', key, e);
      }
    },
    async *list(prefix) {
      const objects: StoredObject[] = [];
      // Read the folder the prefix names (or is inside), then filter by the full prefix.
      const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      await walk(pathOf(base), objects, root);
      objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const o of objects) if (o.key.startsWith(prefix)) yield o;
    },
    async delete(keys) {
      for (const key of keys) await rm(pathOf(key), { force: true });
      // Remove folders left empty, so a pruned backup leaves no trace.
      for (const dir of new Set(keys.map((k) => dirname(pathOf(k))))) {
        await rmdir(dir).catch(() => undefined);
      }
    },
    close() {},
  };
}

async function walk(dir: string, out: StoredObject[], root: string): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out, root);
    else if (entry.isFile() && !entry.name.startsWith(PARTIAL)) {
      const s = await stat(path);
      out.push({ key: relative(root, path).split(sep).join('/'), size: s.size, lastModified: s.mtime });
    }
  }
}
