/**
 * What `backup run|list|decrypt|prune` do, loaded only when one of them (or the
 * jobs process) runs: it imports the backup engine and with it the AWS SDKs.
 */
import {
  type BackupKey,
  type BackupResult,
  type BackupStore,
  backupRunRecord,
  decryptBackup,
  deleteBackup,
  failedBackupRunRecord,
  listBackups,
  loadBackupKey,
  openStore,
  type PruneDecision,
  planPrune,
  runBackup,
} from '@arangops/backup';
import { InputError, toArangopsError } from '@arangops/core';
import type { StoreFlags } from '../commands/backup.js';
import type { CliContext } from '../context.js';
import { formatBytes, formatDuration, progressLine } from '../progress.js';
import { VERSION } from '../version.js';

export function storeOf(ctx: CliContext, flags: StoreFlags): BackupStore {
  const config = ctx.config();
  const url = flags.store ?? config.backup.store;
  if (!url) throw new InputError('no backup store: set --store or ARANGOPS_STORE', { field: 'backup.store' });
  return openStore(url, {
    aws: config.aws,
    ...(config.backup.sseKmsKeyId ? { sseKmsKeyId: config.backup.sseKmsKeyId } : {}),
  });
}

export function keyOf(ctx: CliContext, flags: StoreFlags): Promise<BackupKey> {
  const { backup, aws } = ctx.config();
  // A flag replaces both config keys: `--key-file` must not collide with a configured KMS key.
  const fromFlags = flags.kmsKeyId || flags.keyFile;
  return loadBackupKey(
    {
      kmsKeyId: fromFlags ? flags.kmsKeyId : backup.kmsKeyId,
      keyFile: fromFlags ? flags.keyFile : backup.keyFile,
    },
    aws,
  );
}

export async function withStore<T>(store: BackupStore, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    store.close();
  }
}

export interface RunFlags extends StoreFlags {
  database?: string;
  collection: string[];
  exclude: string[];
  parallel?: number;
}

/** One backup, its run record written either way; prints the backup id. */
export async function backupRun(
  ctx: CliContext,
  flags: RunFlags,
  { signal }: { signal?: AbortSignal } = {},
): Promise<BackupResult> {
  const config = ctx.config();
  const database = flags.database ?? config.backup.database ?? config.arango.database;
  const started = new Date();
  const store = storeOf(ctx, flags);
  const progress = ctx.output.json ? undefined : progressLine(process.stderr);
  return withStore(store, async () => {
    try {
      const key = await keyOf(ctx, flags);
      const result = await runBackup({
        connection: ctx.connection(),
        database,
        store,
        key,
        toolVersion: VERSION,
        include: flags.collection,
        exclude: flags.exclude,
        parallel: flags.parallel || config.backup.parallel,
        logger: ctx.logger(),
        ...(signal ? { signal } : {}),
        ...(progress
          ? {
              onProgress: (p) => {
                const rate = p.documents / Math.max(0.001, (Date.now() - started.getTime()) / 1000);
                const left = Math.max(0, p.expectedDocuments - p.documents) / Math.max(rate, 1);
                progress.update(
                  `backup ${p.documents.toLocaleString('en')}/${p.expectedDocuments.toLocaleString('en')} docs · ` +
                    `${formatBytes(p.bytes)} · ${Math.round(rate).toLocaleString('en')} docs/s · ` +
                    `${p.collectionsDone}/${p.collections} collections · ETA ${formatDuration(left)}`,
                );
              },
            }
          : {}),
      });
      progress?.done();
      await ctx.runRecords().write(backupRunRecord(result));
      if (ctx.output.json) {
        ctx.output.printJson({
          backupId: result.backupId,
          store: store.url,
          documents: result.documents,
          storedBytes: result.storedBytes,
          durationSeconds: result.durationSeconds,
        });
      } else ctx.output.print(result.backupId);
      return result;
    } catch (e) {
      progress?.done();
      await ctx.runRecords().write(failedBackupRunRecord(started, toArangopsError(e)));
      throw e;
    }
  });
}

export async function backupList(ctx: CliContext, flags: StoreFlags): Promise<void> {
  const store = storeOf(ctx, flags);
  await withStore(store, async () => {
    // With a key the seals are checked too; without one the manifests are only parsed.
    const { backup } = ctx.config();
    const hasKey = flags.kmsKeyId || flags.keyFile || backup.kmsKeyId || backup.keyFile;
    const key = hasKey ? await keyOf(ctx, flags) : undefined;
    const backups = await listBackups(store, key ? { key } : {});
    const now = Date.now();
    const rows = backups.map((b) => ({
      backupId: b.backupId,
      database: b.database,
      complete: b.complete,
      ...(b.problem ? { problem: b.problem } : {}),
      createdAt: b.createdAt.toISOString(),
      ageSeconds: Math.round((now - b.createdAt.getTime()) / 1000),
      storedBytes: b.storedBytes,
      documents: b.manifest?.collections.reduce((a, c) => a + c.documents, 0) ?? null,
      verified: key ? b.complete : null,
    }));
    if (ctx.output.json) {
      ctx.output.printJson({ store: store.url, backups: rows });
      return;
    }
    if (rows.length === 0) {
      ctx.output.print(`no backups in ${store.url}`);
      return;
    }
    const table = [
      ['BACKUP', 'STATUS', 'SIZE', 'AGE', 'DOCUMENTS'],
      ...rows.map((r) => [
        r.backupId,
        r.complete ? 'complete' : `incomplete (${r.problem})`,
        formatBytes(r.storedBytes),
        formatDuration(r.ageSeconds),
        r.documents === null ? '-' : r.documents.toLocaleString('en'),
      ]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    ctx.output.print(
      table
        .map((row) =>
          row
            .map((c, i) => c.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        )
        .join('\n'),
    );
  });
}

export async function backupDecrypt(
  ctx: CliContext,
  backupId: string,
  dir: string,
  flags: StoreFlags,
): Promise<void> {
  const store = storeOf(ctx, flags);
  await withStore(store, async () => {
    const manifest = await decryptBackup(store, backupId, await keyOf(ctx, flags), dir);
    if (ctx.output.json) ctx.output.printJson({ backupId, dir, files: manifest.files.length });
    else ctx.output.print(`${dir}: ${manifest.files.length} files of backup ${backupId}, every hash checked`);
  });
}

export interface PruneFlags extends StoreFlags {
  keepDays?: number;
  keepLast?: number;
  dryRun?: boolean;
}

export async function backupPrune(ctx: CliContext, flags: PruneFlags): Promise<PruneDecision[]> {
  const config = ctx.config().backup;
  const store = storeOf(ctx, flags);
  return withStore(store, async () => {
    const plan = planPrune(
      await listBackups(store),
      { keepDays: flags.keepDays ?? config.keepDays, keepLast: flags.keepLast ?? config.keepLast },
      new Date(),
    );
    for (const d of plan) {
      if (d.action === 'delete' && !flags.dryRun) await deleteBackup(store, d.backup.backupId);
    }
    if (ctx.output.json) {
      ctx.output.printJson({
        dryRun: flags.dryRun === true,
        decisions: plan.map((d) => ({ backupId: d.backup.backupId, action: d.action, reason: d.reason })),
      });
    } else {
      const verb = flags.dryRun ? 'would delete' : 'deleted';
      ctx.output.print(
        plan
          .map((d) => `${d.action === 'delete' ? verb : 'keep'}  ${d.backup.backupId}  (${d.reason})`)
          .join('\n') || `no backups in ${store.url}`,
      );
    }
    return plan;
  });
}
