/**
 * `arangops backup restore`: disaster recovery with the verifier's engine.
 * The backup's cheap checks must pass first; the database must not exist;
 * a restore that fails or is interrupted drops the database it created.
 */
import { restoreDatabase } from '@arangops/backup';
import { FindingsError, InputError, toArangopsError } from '@arangops/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { openInput } from '../backup-input.js';
import type { CliContext } from '../context.js';
import { abortOnSignal } from '../interrupt.js';
import { formatDuration, progressLine } from '../progress.js';
import { type StoreFlags, storeOf, withStoreOptions } from './backup.js';
import { parseCount } from './drift.js';

interface RestoreFlags extends StoreFlags {
  database: string;
  replicationFactor?: number | 'source';
  sharding: 'smallest' | 'source';
  parallel?: number;
}

function parseReplicationFactor(value: string): number | 'source' {
  if (value === 'source') return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number ≥ 1 or "source"');
  return n;
}

export function backupRestoreCommand(ctx: CliContext): Command {
  return withStoreOptions(new Command('restore'), true)
    .description(
      'restore a backup (or a plain arangodump folder) into a new database, for when the day comes',
    )
    .argument('<backup>', 'backup id in the store, or a plain arangodump folder (path, file:// or s3:// URL)')
    .requiredOption('--database <name>', 'the database to create (refused when it exists)')
    .option(
      '--replication-factor <n>',
      'replication factor of the restored collections, or "source" (default: as in the backup)',
      parseReplicationFactor,
    )
    .addOption(
      new Option('--sharding <how>', 'shards per collection: as in the backup, or one each')
        .choices(['source', 'smallest'])
        .default('source'),
    )
    .option('--parallel <n>', 'import requests in flight (default: verify.parallel)', parseCount)
    .action(async (arg: string, flags: RestoreFlags) => {
      const config = ctx.config();
      const store = config.backup.store || flags.store ? storeOf(ctx, flags) : undefined;
      const interrupt = abortOnSignal();
      const connection = ctx.connection();
      try {
        const opened = await openInput(ctx, arg, flags, store, Number.POSITIVE_INFINITY);
        try {
          const failed = (opened.backup.cheapChecks ?? []).filter((c) => c.status === 'fail');
          if (failed.length > 0) {
            throw new FindingsError(
              `refusing to restore ${opened.backup.id}: ${failed.map((c) => `${c.name}: ${c.reason}`).join('; ')}`,
            );
          }
          const dumps = opened.backup.inventory.databases;
          if (dumps.length !== 1) {
            throw new InputError(
              `${opened.backup.location} holds ${dumps.length} databases (${dumps.map((d) => d.name).join(', ')}); restore one sub-folder at a time`,
              { field: '<backup>' },
            );
          }
          const started = Date.now();
          const progress = ctx.output.json ? undefined : progressLine(process.stderr);
          const restored = new Map<string, number>();
          let summary: Awaited<ReturnType<typeof restoreDatabase>>;
          try {
            summary = await restoreDatabase({
              connection,
              database: flags.database,
              files: opened.backup.files,
              dump: dumps[0]!,
              placement: { replicationFactor: flags.replicationFactor ?? 'source', sharding: flags.sharding },
              parallel: flags.parallel || config.verify.parallel,
              signal: interrupt.signal,
              onProgress: (p) => {
                restored.set(p.collection, p.documents);
                const total = [...restored.values()].reduce((a, b) => a + b, 0);
                const rate = total / Math.max(0.001, (Date.now() - started) / 1000);
                progress?.update(
                  `restore ${total.toLocaleString('en')} docs · ${Math.round(rate).toLocaleString('en')} docs/s · ${p.collection}`,
                );
              },
            });
          } catch (e) {
            const err = interrupt.signal.aborted ? interrupt.signal.reason : e;
            // Created by this run and incomplete: nobody should mistake it for a restored database.
            if (!(toArangopsError(err) instanceof InputError)) {
              await connection
                .database('_system')
                .dropDatabase(flags.database)
                .catch(() => undefined);
            }
            throw err;
          } finally {
            progress?.done();
          }
          const refused = summary.collections.filter((c) => c.errors > 0);
          const seconds = (Date.now() - started) / 1000;
          if (ctx.output.json) ctx.output.printJson({ backup: opened.backup.id, seconds, ...summary });
          else {
            ctx.output.print(
              `restored ${opened.backup.id} into ${flags.database}: ${summary.documents.toLocaleString('en')} documents in ${summary.collections.length} collections, ${summary.views.length} views, ${summary.graphs.length} graphs, ${summary.analyzers.length} analyzers in ${formatDuration(seconds)}` +
                (summary.skipped.length
                  ? `\nleft out: ${summary.skipped.map((s) => s.name).join(', ')} (system collections)`
                  : ''),
            );
          }
          if (refused.length > 0) {
            throw new FindingsError(
              `the server refused documents in ${refused.map((c) => `${c.name} (${c.errors}: ${c.errorSamples[0]})`).join(', ')}`,
            );
          }
        } finally {
          await opened.dispose();
        }
      } finally {
        interrupt.dispose();
        store?.close();
      }
    });
}
