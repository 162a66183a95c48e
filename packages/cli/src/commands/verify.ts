import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { abortOnSignal } from '../interrupt.js';
import { type StoreFlags, withStoreOptions } from './backup.js';
import { parseCount } from './drift.js';

export interface VerifyFlags extends StoreFlags {
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
      const { verifyBackup } = await import('../actions/verify.js');
      const interrupt = abortOnSignal();
      try {
        await verifyBackup(ctx, arg, flags, { signal: interrupt.signal });
      } finally {
        interrupt.dispose();
      }
    });
}
