/**
 * `arangops backup restore`: disaster recovery with the verifier's engine.
 * The backup's cheap checks must pass first; the database must not exist;
 * a restore that fails or is interrupted drops the database it created.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext } from '../context.js';
import { type StoreFlags, withStoreOptions } from './backup.js';
import { parseCount } from './drift.js';

export interface RestoreFlags extends StoreFlags {
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
    .action(async (arg: string, flags: RestoreFlags) =>
      (await import('../actions/backup-restore.js')).backupRestore(ctx, arg, flags),
    );
}
