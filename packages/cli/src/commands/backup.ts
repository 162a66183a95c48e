import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { abortOnSignal } from '../interrupt.js';
import { backupRestoreCommand } from './backup-restore.js';
import { collectGlob, parseCount } from './drift.js';

/** The engine (and the AWS SDKs with it) loads when a subcommand runs. */
const actions = () => import('../actions/backup.js');

export interface StoreFlags {
  store?: string;
  kmsKeyId?: string;
  keyFile?: string;
}

/** `--store`, `--kms-key-id`, `--key-file`: flags over config (ARANGOPS_STORE, ARANGOPS_KMS_KEY_ID, ARANGOPS_KEY_FILE). */
export function withStoreOptions(cmd: Command, key: boolean): Command {
  cmd.option('--store <url>', 'backup store: s3://bucket/prefix or file:///path (ARANGOPS_STORE)');
  if (key) {
    cmd
      .option('--kms-key-id <id>', 'KMS key id, ARN or alias (ARANGOPS_KMS_KEY_ID)')
      .option('--key-file <file>', 'file with a base64 256-bit key, instead of KMS (ARANGOPS_KEY_FILE)');
  }
  return cmd;
}

export function backupCommand(ctx: CliContext): Command {
  const backup = new Command('backup').description(
    'encrypted, streaming, arangodump-compatible backups to S3 or a folder: run, list, decrypt, prune',
  );
  backup.addCommand(runCommand(ctx));
  backup.addCommand(listCommand(ctx));
  backup.addCommand(decryptCommand(ctx));
  backup.addCommand(pruneCommand(ctx));
  backup.addCommand(backupRestoreCommand(ctx));
  return backup;
}

function runCommand(ctx: CliContext): Command {
  return withStoreOptions(new Command('run'), true)
    .description('back up one database; prints the backup id (exit 0 only once its manifest is written)')
    .option('--database <name>', 'database to back up (default: backup.database, else arango.database)')
    .option('--collection <name>', 'only this collection (repeatable)', collectGlob, [])
    .option('--exclude <name>', 'leave this collection out (repeatable)', collectGlob, [])
    .option('--parallel <n>', 'collections read at the same time (default 2)', parseCount)
    .action(async (flags) => {
      const { backupRun } = await actions();
      // SIGINT/SIGTERM abort the uploads: no manifest, no multipart upload left behind.
      const interrupt = abortOnSignal();
      try {
        await backupRun(ctx, flags, { signal: interrupt.signal });
      } finally {
        interrupt.dispose();
      }
    });
}

function listCommand(ctx: CliContext): Command {
  return withStoreOptions(new Command('list'), true)
    .description('backups in the store, oldest first: complete or incomplete, size, age, documents')
    .action(async (flags) => (await actions()).backupList(ctx, flags));
}

function decryptCommand(ctx: CliContext): Command {
  return withStoreOptions(new Command('decrypt'), true)
    .description(
      'write a complete backup as a plain arangodump directory for arangorestore (checks every hash)',
    )
    .argument('<backup>', 'backup id (see `backup list`)')
    .argument('<dir>', 'directory to create (must be absent or empty)')
    .action(async (backupId: string, dir: string, flags) =>
      (await actions()).backupDecrypt(ctx, backupId, dir, flags),
    );
}

function pruneCommand(ctx: CliContext): Command {
  return withStoreOptions(new Command('prune'), false)
    .description('delete backups past retention; the newest complete backup always stays')
    .option('--keep-days <n>', 'keep backups younger than N days (default 30)', parseCount)
    .option('--keep-last <n>', 'always keep the newest N complete backups (default 7)', parseCount)
    .option('--dry-run', 'print what would be deleted, delete nothing')
    .action(async (flags) => {
      await (await actions()).backupPrune(ctx, flags);
    });
}
