import {
  loadChecksFile,
  renderVerifyResult,
  runVerify,
  verifyRunRecord,
  writeResult,
  writeRunReport,
} from '@arangops/backup';
import { type ArangoConnection, ArangopsError, createArangoConnection, EXIT_CODES } from '@arangops/core';
import { loadProfile } from '@arangops/schema';
import { Command } from 'commander';
import { openInput } from '../backup-input.js';
import type { CliContext } from '../context.js';
import { abortOnSignal } from '../interrupt.js';
import { VERSION } from '../version.js';
import { type StoreFlags, storeOf, withStoreOptions } from './backup.js';
import { parseCount } from './drift.js';
import { reportOptions } from './report.js';

interface VerifyFlags extends StoreFlags {
  restore: boolean;
  live: boolean;
  profile?: string;
  rpoHours?: number;
  parallel?: number;
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
      const interrupt = abortOnSignal();
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
            signal: interrupt.signal,
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
          await ctx.runRecords().write(verifyRunRecord(result));
          if (ctx.output.json) ctx.output.printJson(result);
          else ctx.output.print(renderVerifyResult(result));
          if (result.verdict === 'fail') ctx.setExitCode(EXIT_CODES.findings);
        } finally {
          await opened.dispose();
        }
      } catch (e) {
        const err = interrupt.signal.aborted ? interrupt.signal.reason : e;
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
        interrupt.dispose();
        target?.close();
        store?.close();
      }
    });
}
