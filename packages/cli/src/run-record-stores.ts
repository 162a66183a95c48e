import {
  bestEffortRunRecords,
  cachedRunRecords,
  createLocalRunRecordStore,
  type RunRecordStore,
  teeRunRecords,
} from '@arangops/core';
import type { CliContext } from './context.js';

/**
 * The local folder, and with `runRecords.inStore` the backup store's `runs/`
 * too: written to both, read from the store (cached), so that the exporter in
 * its own pod sees what the jobs and CronJobs recorded. The store and the AWS
 * SDK load on the first read or write.
 */
export function runRecordStores(ctx: CliContext): { records: RunRecordStore; close(): void } {
  const config = ctx.config();
  const local = createLocalRunRecordStore(config.runRecords.dir);
  const url = config.backup.store;
  if (!config.runRecords.inStore || !url)
    return { records: bestEffortRunRecords(local, ctx.logger()), close() {} };
  let opened: Promise<{ records: RunRecordStore; close(): void }> | undefined;
  const shared = async () => {
    opened ??= import('@arangops/backup').then(({ openStore, storeRunRecords }) => {
      const store = openStore(url, { aws: config.aws });
      return { records: storeRunRecords(store), close: () => store.close() };
    });
    return (await opened).records;
  };
  const remote: RunRecordStore = {
    read: async (job) => (await shared()).read(job),
    write: async (record) => (await shared()).write(record),
  };
  return {
    records: bestEffortRunRecords(
      teeRunRecords(cachedRunRecords(remote, config.runRecords.cacheSeconds * 1000), local),
      ctx.logger(),
    ),
    close: () => void opened?.then((o) => o.close()),
  };
}
