import { RESULTS_PREFIX } from '../format/layout.js';
import type { BackupStore } from '../store/types.js';
import type { VerifyResult } from './result.js';

/** Where a key of the store is, for messages (store URLs may or may not end in a slash). */
export function storeLocation(store: BackupStore, key: string): string {
  return `${store.url.replace(/\/?$/, '/')}${key}`;
}

/** `results/<finished>-<backup>.json`: sortable by time, one per run, for the weekly report. */
/** Returns where the result was written. */
export async function writeResult(store: BackupStore, result: VerifyResult): Promise<string> {
  const stamp = result.finishedAt.replace(/[-:]/g, '').replace(/\.\d+/, '');
  const key = `${RESULTS_PREFIX}${stamp}-${result.backup.id.replace(/[^A-Za-z0-9_-]/g, '-')}.json`;
  await store.put(key, `${JSON.stringify(result, null, 2)}\n`);
  return storeLocation(store, key);
}
