/** Run records in the backup store's `runs/`, beside the backups and results they describe. */
import { createRunRecordStore, type RunRecordStore } from '@arangops/core';
import { ObjectNotFoundError } from '../errors.js';
import { RUNS_PREFIX } from '../format/layout.js';
import type { BackupStore } from '../store/types.js';
import { storeLocation } from '../verify/results.js';

export function storeRunRecords(store: BackupStore): RunRecordStore {
  const key = (name: string) => `${RUNS_PREFIX}${name}`;
  return createRunRecordStore({
    describe: (name) => storeLocation(store, key(name)),
    async read(name) {
      try {
        return (await store.getBytes(key(name))).toString('utf8');
      } catch (e) {
        if (e instanceof ObjectNotFoundError) return undefined;
        throw e;
      }
    },
    // One PUT: an S3 object is replaced whole, never seen half written.
    write: (name, text) => store.put(key(name), text),
  });
}
