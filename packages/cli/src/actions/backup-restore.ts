/** What `backup restore` does; loaded only when it runs (it imports the restore engine). */
import { restoreDatabase } from '@arangops/backup';
import { FindingsError, InputError, toArangopsError } from '@arangops/core';
import type { RestoreFlags } from '../commands/backup-restore.js';
import type { CliContext } from '../context.js';
import { abortOnSignal } from '../interrupt.js';
import { formatDuration, progressLine } from '../progress.js';
import { storeOf } from './backup.js';
import { openInput } from './backup-input.js';

export async function backupRestore(ctx: CliContext, arg: string, flags: RestoreFlags): Promise<void> {
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
}
