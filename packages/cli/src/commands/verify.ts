import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type BackupStore,
  type BackupUnderTest,
  listBackups,
  loadChecksFile,
  localDumpFiles,
  openBackup,
  openStore,
  readDumpInventory,
  renderVerifyResult,
  runVerify,
  storeDumpFiles,
  verifyRunRecord,
  writeResult,
} from '@arangops/backup';
import {
  type ArangoConnection,
  ArangopsError,
  createArangoConnection,
  EXIT_CODES,
  FindingsError,
} from '@arangops/core';
import { loadProfile } from '@arangops/schema';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { VERSION } from '../version.js';
import { keyOf, type StoreFlags, storeOf, withStoreOptions } from './backup.js';
import { parseCount } from './drift.js';

interface VerifyFlags extends StoreFlags {
  restore: boolean;
  live: boolean;
  profile?: string;
  rpoHours?: number;
  parallel?: number;
}

/** The plain dump checks a dump without a manifest cannot have. */
const NOT_POSSIBLE_FOR_DUMPS = [
  { name: 'manifest', reason: 'a plain arangodump has no manifest' },
  { name: 'objects', reason: 'no manifest lists the objects and their sizes' },
  { name: 'decryption', reason: 'a plain arangodump is not encrypted by arangops' },
  { name: 'hashes', reason: 'no manifest records SHA-256 hashes' },
  { name: 'age', reason: 'a plain arangodump does not record when it was taken' },
];

/** Ended by SIGINT/SIGTERM: the scratch database was dropped on the way out. */
class InterruptedError extends ArangopsError {
  override name = 'InterruptedError';
  override readonly exitCode = EXIT_CODES.unavailable;
}

export function verifyCommand(ctx: CliContext): Command {
  return withStoreOptions(new Command('verify'), true)
    .description(
      'restore a backup into a scratch database and prove it whole; exit 0 pass, 1 failed, 2 bad input, 3 unavailable (another verifier holds the lock)',
    )
    .argument(
      '[backup]',
      'backup id in the store (default: the latest complete one), or a plain arangodump folder (path, file:// or s3:// URL)',
    )
    .option('--no-restore', 'cheap checks only: manifest, objects, decryption, hashes, counts, age')
    .option('--no-live', 'skip the completeness check against the live database')
    .option('--profile <dir>', 'profile folder with schema.yaml and checks.yaml (default: schema.profileDir)')
    .option(
      '--rpo-hours <n>',
      'a backup older than this fails the age check (default: verify.rpoHours)',
      parseCount,
    )
    .option('--parallel <n>', 'import requests in flight (default: verify.parallel)', parseCount)
    .action(async (arg: string | undefined, flags: VerifyFlags) => {
      const config = ctx.config();
      const verify = config.verify;
      const store = config.backup.store || flags.store ? storeOf(ctx, flags) : undefined;
      const started = new Date();
      const abort = new AbortController();
      const onSignal = (signal: NodeJS.Signals) =>
        abort.abort(new InterruptedError(`interrupted by ${signal}`));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let target: ArangoConnection | undefined;
      try {
        const opened = await openInput(ctx, arg, flags, store, flags.rpoHours ?? verify.rpoHours);
        try {
          const loaded = await loadProfile(flags.profile ?? config.schema.profileDir);
          target = verify.target.url
            ? createArangoConnection({ ...config.arango, url: verify.target.url }, { logger: ctx.logger() })
            : undefined;
          const result = await runVerify({
            backup: opened.backup,
            target: target ?? ctx.connection(),
            ...(flags.live ? { live: ctx.connection() } : {}),
            profile: loaded,
            checks: await loadChecksFile(loaded.dir),
            noRestore: !flags.restore,
            placement: { replicationFactor: verify.replicationFactor, sharding: verify.sharding },
            parallel: flags.parallel || verify.parallel,
            janitorMaxAgeMs: verify.janitorMaxAgeHours * 3600_000,
            leaseTtlMs: verify.leaseTtlSeconds * 1000,
            signal: abort.signal,
            logger: ctx.logger(),
            toolVersion: VERSION,
          });
          if (store) {
            const key = await writeResult(store, result);
            ctx.logger().info({ result: `${store.url}${key}` }, 'verification result written');
          }
          await ctx.runRecords().write(verifyRunRecord(result));
          if (ctx.output.json) ctx.output.printJson(result);
          else ctx.output.print(renderVerifyResult(result));
          if (result.verdict === 'fail') ctx.setExitCode(EXIT_CODES.findings);
        } finally {
          await opened.dispose();
        }
      } catch (e) {
        const err = abort.signal.aborted ? abort.signal.reason : e;
        const failure = err instanceof ArangopsError ? err : new ArangopsError(String(err));
        await ctx.runRecords().write({
          job: 'verify',
          success: false,
          startedAt: started.toISOString(),
          finishedAt: new Date().toISOString(),
          durationSeconds: (Date.now() - started.getTime()) / 1000,
          summary: {},
          message: failure.message,
        });
        throw err;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        target?.close();
        store?.close();
      }
    });
}

async function openInput(
  ctx: CliContext,
  arg: string | undefined,
  flags: StoreFlags,
  store: BackupStore | undefined,
  rpoHours: number,
): Promise<{ backup: BackupUnderTest; dispose(): Promise<void> }> {
  const plain = async (files: Awaited<ReturnType<typeof localDumpFiles>>, id: string) => ({
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
