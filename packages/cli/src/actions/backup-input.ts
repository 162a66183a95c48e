/**
 * What `verify` and `backup restore` are given: a backup id in the store (the
 * latest complete one when none is named), or a plain arangodump folder, local
 * or in S3.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type BackupStore,
  type BackupUnderTest,
  type DumpFiles,
  listBackups,
  localDumpFiles,
  openBackup,
  openStore,
  readDumpInventory,
  storeDumpFiles,
} from '@arangops/backup';
import { FindingsError } from '@arangops/core';
import type { StoreFlags } from '../commands/backup.js';
import type { CliContext } from '../context.js';
import { keyOf } from './backup.js';

/** The checks a dump without a manifest cannot have. */
const NOT_POSSIBLE_FOR_DUMPS = [
  { name: 'manifest', reason: 'a plain arangodump has no manifest' },
  { name: 'objects', reason: 'no manifest lists the objects and their sizes' },
  { name: 'decryption', reason: 'a plain arangodump is not encrypted by arangops' },
  { name: 'hashes', reason: 'no manifest records SHA-256 hashes' },
  { name: 'age', reason: 'a plain arangodump does not record when it was taken' },
];

export interface OpenedInput {
  backup: BackupUnderTest;
  dispose(): Promise<void>;
}

export async function openInput(
  ctx: CliContext,
  arg: string | undefined,
  flags: StoreFlags,
  store: BackupStore | undefined,
  rpoHours: number,
): Promise<OpenedInput> {
  const plain = async (files: DumpFiles, id: string) => ({
    backup: {
      id,
      kind: 'arangodump' as const,
      location: files.location,
      files,
      inventory: await readDumpInventory(files),
      notPossible: NOT_POSSIBLE_FOR_DUMPS,
    },
    dispose: async () => undefined,
  });
  if (arg?.startsWith('s3://')) {
    const dumpStore = openStore(arg, { aws: ctx.config().aws });
    const opened = await plain(storeDumpFiles(dumpStore), lastSegment(arg));
    return { ...opened, dispose: async () => dumpStore.close() };
  }
  if (arg && (arg.startsWith('file:') || arg.includes('/') || existsSync(arg) || !store)) {
    const dir = arg.startsWith('file:') ? fileURLToPath(arg) : arg;
    return plain(await localDumpFiles(dir), lastSegment(dir));
  }
  if (!store)
    throw new FindingsError('no backup store: set --store or ARANGOPS_STORE, or name a dump folder');
  const key = await keyOf(ctx, flags);
  let id = arg;
  if (!id) {
    const complete = (await listBackups(store, { key })).filter((b) => b.complete);
    id = complete.at(-1)?.backupId;
    if (!id) throw new FindingsError(`no complete backup in ${store.url}`);
  }
  return openBackup(store, id, key, { rpoHours });
}

function lastSegment(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() || path;
}
