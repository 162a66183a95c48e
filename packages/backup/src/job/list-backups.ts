import type { BackupKey } from '../crypto/keys.js';
import { ObjectNotFoundError } from '../errors.js';
import { BACKUP_MANIFEST_FILE, BACKUPS_PREFIX, parseBackupId } from '../format/layout.js';
import { type Manifest, readManifest } from '../format/manifest.js';
import type { BackupStore } from '../store/types.js';

export interface BackupListing {
  backupId: string;
  database: string;
  /** From the id (the backup's start). */
  createdAt: Date;
  /** A valid manifest was found (and, when a key was given, its seal checked). */
  complete: boolean;
  /** Why it is incomplete: no manifest, or one that does not check. */
  problem?: string;
  objects: number;
  storedBytes: number;
  /** When the newest object was written: how old an incomplete prefix really is. */
  lastModified: Date;
  manifest?: Manifest;
}

/** Every `backups/<id>/` prefix in the store, oldest first, complete or not. */
export async function listBackups(
  store: BackupStore,
  options: { key?: BackupKey } = {},
): Promise<BackupListing[]> {
  const prefixes = new Map<string, { objects: number; bytes: number; last: Date; hasManifest: boolean }>();
  for await (const o of store.list(BACKUPS_PREFIX)) {
    const rest = o.key.slice(BACKUPS_PREFIX.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) continue;
    const id = rest.slice(0, slash);
    const p = prefixes.get(id) ?? { objects: 0, bytes: 0, last: new Date(0), hasManifest: false };
    p.objects += 1;
    p.bytes += o.size;
    if (o.lastModified > p.last) p.last = o.lastModified;
    if (rest.slice(slash + 1) === BACKUP_MANIFEST_FILE) p.hasManifest = true;
    prefixes.set(id, p);
  }
  const out: BackupListing[] = [];
  for (const [backupId, p] of prefixes) {
    const parsed = parseBackupId(backupId);
    const base = {
      backupId,
      database: parsed?.database ?? '',
      createdAt: parsed?.createdAt ?? p.last,
      objects: p.objects,
      storedBytes: p.bytes,
      lastModified: p.last,
    };
    if (!p.hasManifest) {
      out.push({ ...base, complete: false, problem: 'no manifest' });
      continue;
    }
    try {
      const { manifest } = await readManifest(store, backupId, options.key ? { key: options.key } : {});
      out.push({ ...base, database: manifest.database.name, complete: true, manifest });
    } catch (e) {
      if (e instanceof ObjectNotFoundError) out.push({ ...base, complete: false, problem: 'no manifest' });
      else out.push({ ...base, complete: false, problem: (e as Error).message });
    }
  }
  return out.sort((a, b) => (a.backupId < b.backupId ? -1 : 1));
}
