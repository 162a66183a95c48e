/**
 * What to do about each kind of failure, in the words of docs/runbooks.md,
 * with a link to its section where one exists.
 */
export const RUNBOOK_PATH = 'docs/runbooks.md';

export interface Advice {
  action: string;
  /** Runbook section heading (an alert name); the link is its GitHub-style anchor. */
  section?: string;
}

const STORED_CHANGED: Advice = {
  action:
    'The stored backup is not what was written. Keep the last backup that passed (pause pruning), treat the store as compromised until explained, and take a new backup.',
  section: 'ArangoOpsVerificationFailed',
};

const BY_CHECK: Record<string, Advice> = {
  manifest: STORED_CHANGED,
  objects: STORED_CHANGED,
  decryption: STORED_CHANGED,
  hashes: STORED_CHANGED,
  pairing: STORED_CHANGED,
  data: STORED_CHANGED,
  lines: STORED_CHANGED,
  age: {
    action:
      'The backup is older than the RPO: find out why the daily backup did not run or failed, and run one now.',
    section: 'ArangoOpsBackupTooOld',
  },
  restore: {
    action:
      'The backup could not be restored. Reproduce it with `arangops verify <backup-id>`; keep the last backup that passed until it is fixed.',
    section: 'ArangoOpsVerificationFailed',
  },
  counts: {
    action:
      'The restored collections hold other document counts than the backup recorded: keep the last backup that passed and reproduce with `arangops verify <backup-id>`.',
    section: 'ArangoOpsVerificationFailed',
  },
  digest: {
    action:
      'The restored documents differ from the backed-up ones: keep the last backup that passed and reproduce with `arangops verify <backup-id>`.',
    section: 'ArangoOpsVerificationFailed',
  },
  structure: {
    action:
      'An index, a View or a collection property did not restore as backed up: reproduce with `arangops verify <backup-id>`; the restore engine may not rebuild it.',
    section: 'ArangoOpsVerificationFailed',
  },
  edges: {
    action:
      'Edges point at documents that are not in the backup: the collections were dumped at different moments while the application wrote. Compare with the next backup; if it persists, back up at a quieter time.',
    section: 'ArangoOpsVerificationFailed',
  },
  completeness: {
    action:
      'The live database has collections the backup lacks: check backup include/exclude settings and that the backup user can read every collection.',
    section: 'ArangoOpsBackupFailed',
  },
  profile: {
    action:
      'The backed-up schema differs from the declared profile: see the drift findings and decide whether the database or the profile is right.',
    section: 'ArangoOpsSchemaDriftBreaking',
  },
};

const QUERY_CHECK: Advice = {
  action:
    'A check query from the profile’s checks.yaml did not hold on the restored data: the application data is inconsistent in the backup; look at the query and the reason.',
  section: 'ArangoOpsVerificationFailed',
};

export function adviceForCheck(name: string): Advice {
  if (name.startsWith('query:')) return QUERY_CHECK;
  return (
    BY_CHECK[name] ?? {
      action: 'Reproduce with `arangops verify <backup-id>`.',
      section: 'ArangoOpsVerificationFailed',
    }
  );
}

export const ADVICE = {
  incompleteBackup: {
    action:
      'A backup never got its manifest: the run failed or was cut off. Read the backup run’s log; `arangops backup prune` removes the leftover objects.',
    section: 'ArangoOpsBackupFailed',
  },
  failedBackupRun: {
    action: 'Read the backup run’s log: it names the failing step.',
    section: 'ArangoOpsBackupFailed',
  },
  failedVerifyRun: {
    action: 'The verification could not finish: read its log, then run `arangops jobs --once verify`.',
    section: 'ArangoOpsVerificationFailed',
  },
  failedRun: { action: 'Read the run’s log: it names the failing step and error.' },
  noBackup: {
    action:
      'No complete backup was taken this week: check that the backup schedule is enabled and run one now.',
    section: 'ArangoOpsBackupNeverSucceeded',
  },
  noFullVerification: {
    action:
      'No backup was restored and checked this week: nobody knows whether the backups restore. Run `arangops jobs --once verify`.',
    section: 'ArangoOpsVerificationNotRun',
  },
  historyStarts: {
    action:
      'Nothing, when arangops was deployed this week. Otherwise the earlier backups are elsewhere: check whether the store URL or prefix changed.',
  },
  rpoExceeded: {
    action: 'The newest backup grew older than the RPO: find the failed or missed backup runs of that day.',
    section: 'ArangoOpsBackupTooOld',
  },
  drift: {
    action:
      'Run `arangops drift` to list the items; decide whether the live database or the profile is right.',
    section: 'ArangoOpsSchemaDriftBreaking',
  },
} satisfies Record<string, Advice>;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function runbookLink(
  base: string,
  section: string | undefined,
): { section: string; url: string } | undefined {
  if (!section) return undefined;
  return {
    section,
    url: `${base}#${section
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-')}`,
  };
}
