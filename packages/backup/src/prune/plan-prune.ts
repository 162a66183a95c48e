/**
 * Retention: keep complete backups younger than `keepDays`, and always the newest `keepLast`
 * complete ones (so a stalled backup job never leaves the store empty), never the newest complete
 * one; drop incomplete prefixes once untouched for a day (younger ones may still be being written).
 */
import { BACKUP_MANIFEST_FILE, backupPrefix } from '../format/layout.js';
import type { BackupListing } from '../job/list-backups.js';
import type { BackupStore } from '../store/types.js';

export interface RetentionPolicy {
  keepDays: number;
  keepLast: number;
}

export const INCOMPLETE_GRACE_MS = 24 * 3600 * 1000;

export interface PruneDecision {
  backup: BackupListing;
  action: 'keep' | 'delete';
  reason: string;
}

export function planPrune(
  backups: readonly BackupListing[],
  policy: RetentionPolicy,
  now: Date,
): PruneDecision[] {
  const cutoff = now.getTime() - policy.keepDays * 24 * 3600 * 1000;
  const newestComplete = backups
    .filter((b) => b.complete)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const protectedIds = new Set(newestComplete.slice(0, Math.max(1, policy.keepLast)).map((b) => b.backupId));
  return backups.map((backup): PruneDecision => {
    if (!backup.complete) {
      return now.getTime() - backup.lastModified.getTime() > INCOMPLETE_GRACE_MS
        ? {
            backup,
            action: 'delete',
            reason: `incomplete (${backup.problem ?? 'no manifest'}), untouched for over a day`,
          }
        : { backup, action: 'keep', reason: 'incomplete but recent: may still be being written' };
    }
    if (backup.createdAt.getTime() >= cutoff)
      return { backup, action: 'keep', reason: `younger than ${policy.keepDays} days` };
    if (protectedIds.has(backup.backupId)) {
      return {
        backup,
        action: 'keep',
        reason: `one of the newest ${Math.max(1, policy.keepLast)} complete backups`,
      };
    }
    return { backup, action: 'delete', reason: `older than ${policy.keepDays} days` };
  });
}

/** Deletes a backup's objects, its manifest first: interrupted, it is left incomplete, never complete with files missing. */
export async function deleteBackup(store: BackupStore, backupId: string): Promise<number> {
  const prefix = backupPrefix(backupId);
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  const manifest = `${prefix}${BACKUP_MANIFEST_FILE}`;
  if (keys.includes(manifest)) await store.delete([manifest]);
  await store.delete(keys.filter((k) => k !== manifest));
  return keys.length;
}
