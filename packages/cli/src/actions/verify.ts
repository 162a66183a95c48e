/** What `verify` does; loaded only when it runs (or the jobs process verifies). */
import {
  loadChecksFile,
  renderVerifyResult,
  runVerify,
  type VerifyResult,
  verifyRunRecord,
  writeResult,
  writeRunReport,
} from '@arangops/backup';
import { type ArangoConnection, ArangopsError, createArangoConnection, EXIT_CODES } from '@arangops/core';
import { loadProfile } from '@arangops/schema';
import { reportOptions } from '../commands/report.js';
import type { VerifyFlags } from '../commands/verify.js';
import type { CliContext } from '../context.js';
import { VERSION } from '../version.js';
import { storeOf } from './backup.js';
import { openInput } from './backup-input.js';

/**
 * One verification, its result written to the store's `results/` and its run
 * record either way. Aborting `signal` drops the scratch database and throws
 * the signal's reason.
 */
export async function verifyBackup(
  ctx: CliContext,
  arg: string | undefined,
  flags: VerifyFlags,
  { signal, task = 'verify' }: { signal: AbortSignal; task?: 'verify' | 'verify-cheap' },
): Promise<VerifyResult> {
  const config = ctx.config();
  const verify = config.verify;
  const store = config.backup.store || flags.store ? storeOf(ctx, flags) : undefined;
  const started = new Date();
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
        signal,
        logger: ctx.logger(),
        toolVersion: VERSION,
      });
      if (store) {
        const location = await writeResult(store, result);
        const report = await writeRunReport(store, { location, result }, reportOptions(ctx));
        ctx
          .logger()
          .info(
            { result: location, report: report.dir?.html ?? report.store.html },
            'verification result and report written',
          );
      }
      await ctx.runRecords().write({ ...verifyRunRecord(result), job: task });
      if (ctx.output.json) ctx.output.printJson(result);
      else ctx.output.print(renderVerifyResult(result));
      if (result.verdict === 'fail') ctx.setExitCode(EXIT_CODES.findings);
      return result;
    } finally {
      await opened.dispose();
    }
  } catch (e) {
    const err = signal.aborted ? signal.reason : e;
    const failure = err instanceof ArangopsError ? err : new ArangopsError(String(err));
    await ctx.runRecords().write({
      job: task,
      success: false,
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      durationSeconds: (Date.now() - started.getTime()) / 1000,
      summary: {},
      message: failure.message,
    });
    throw err;
  } finally {
    target?.close();
    store?.close();
  }
}
