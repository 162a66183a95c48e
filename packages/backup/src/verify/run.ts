/**
 * One verification: cheap checks on the files, then (unless `noRestore`)
 * under the target's lease: janitor, restore of each database into its own
 * scratch database, checks on the restored data, and the scratch database
 * dropped whatever happens (abort via `signal` included).
 */
import { type ArangoConnection, type Logger, toArangopsError } from '@arangops/core';
import type { LoadedProfile } from '@arangops/schema';
import { type Placement, type RestoreSummary, restoreDatabase } from '../restore/index.js';
import {
  countDocuments,
  type DumpDatabase,
  type DumpFiles,
  type DumpInventory,
  DumpLineError,
} from '../source/index.js';
import { completenessCheck } from './checks/completeness.js';
import { countsCheck } from './checks/counts.js';
import { digestCheck, dumpDigest } from './checks/digest.js';
import { edgesCheck } from './checks/edges.js';
import { profileCheck } from './checks/profile.js';
import { queryCheck } from './checks/queries.js';
import { structureCheck } from './checks/structure.js';
import type { ChecksFile } from './checks-file.js';
import { DEFAULT_JANITOR_MAX_AGE_MS } from './config.js';
import { type JanitorResult, runJanitor } from './janitor.js';
import { acquireLease } from './lock.js';
import { type PhaseTimings, timePhase } from './phases.js';
import type { DatabaseResult, VerifyResult } from './result.js';
import { RESULT_SCHEMA_VERSION } from './result.js';
import { dropScratchDatabase, registerScratchDatabase, scratchDatabaseName } from './scratch.js';
import type { CheckResult, Phase } from './types.js';

export interface BackupUnderTest {
  /** Backup id, or the dump folder's name. */
  id: string;
  kind: 'arangops' | 'arangodump';
  /** Where it was read from (no credentials). */
  location: string;
  files: DumpFiles;
  inventory: DumpInventory;
  /** When the backup started (arangops backups; plain dumps do not say). */
  startedAt?: Date;
  /** Per database, per collection: the counts the backup's manifest records. */
  manifestCounts?: Record<string, Record<string, number>>;
  /** Per database, per collection: the content digests the backup's manifest records. */
  manifestDigests?: Record<string, Record<string, string>>;
  /** Checks the backup's own format ran (manifest, objects, decryption, hashes, age). */
  cheapChecks?: CheckResult[];
  /** Lines of data files already counted (by path), e.g. while they were decrypted. */
  dataLineCounts?: Record<string, number>;
  /** Seconds spent before the verifier got the backup (download, decrypt). */
  timings?: PhaseTimings;
  /** What could not be checked for this kind of backup, and why. */
  notPossible?: { name: string; reason: string }[];
}

export interface VerifyOptions {
  backup: BackupUnderTest;
  /** Where scratch databases are made. */
  target: ArangoConnection;
  /** The live deployment, for completeness; without it that check is skipped. */
  live?: ArangoConnection;
  profile?: LoadedProfile;
  checks?: ChecksFile;
  noRestore?: boolean;
  placement?: Partial<Placement>;
  parallel?: number;
  janitorMaxAgeMs?: number;
  leaseTtlMs?: number;
  holder?: string;
  signal?: AbortSignal;
  logger?: Logger;
  toolVersion: string;
  now?: () => Date;
}

/** Cheap checks whose failure does not stop the restore. */
const RESTORABLE_FAILURES = new Set(['age']);

export async function runVerify(options: VerifyOptions): Promise<VerifyResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const { backup } = options;
  const phases: PhaseTimings = { ...backup.timings };
  const timed = <T>(phase: Phase, fn: () => Promise<T>): Promise<T> => timePhase(phases, phase, fn);

  const checks: CheckResult[] = [...(backup.cheapChecks ?? [])];
  const fileCounts = await timed('cheap', () => dataFileChecks(backup, checks));
  for (const n of backup.notPossible ?? [])
    checks.push({ name: n.name, status: 'skipped', reason: n.reason });

  const databases: DatabaseResult[] = backup.inventory.databases.map((d) => ({
    source: d.name,
    collections: d.collections
      .filter((c) => !c.isSystem)
      .map((c) => ({
        name: c.name,
        type: c.type,
        expected: expectedCount(backup, d, c.name, fileCounts),
      })),
  }));
  let janitor: JanitorResult | undefined;
  let restoredDocuments = 0;
  // A stale backup still gets restored (is it usable?); damaged files are not.
  const cheapFailed = checks.some((c) => c.status === 'fail' && !RESTORABLE_FAILURES.has(c.name));

  if (options.noRestore) {
    checks.push({ name: 'restore', status: 'skipped', reason: 'cheap checks only (--no-restore)' });
  } else if (cheapFailed) {
    checks.push({ name: 'restore', status: 'skipped', reason: 'not attempted: the cheap checks failed' });
  } else {
    const lease = await acquireLease(options.target, {
      ...(options.leaseTtlMs ? { ttlMs: options.leaseTtlMs } : {}),
      ...(options.holder ? { holder: options.holder } : {}),
      now,
    });
    try {
      janitor = await timed('cleanup', () =>
        runJanitor(options.target, options.janitorMaxAgeMs ?? DEFAULT_JANITOR_MAX_AGE_MS, now()),
      );
      if (janitor.dropped.length > 0) {
        options.logger?.info(
          { dropped: janitor.dropped },
          'janitor dropped scratch databases left by crashed runs',
        );
      }
      for (const [i, dump] of backup.inventory.databases.entries()) {
        const result = databases[i]!;
        restoredDocuments += await verifyDatabase(options, dump, result, checks, timed, lease.holder, now);
      }
    } finally {
      await lease
        .release()
        .catch((e) => options.logger?.warn({ err: toArangopsError(e).message }, 'lease release failed'));
    }
  }

  const finished = now();
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'arangops', version: options.toolVersion },
    verdict: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass',
    backup: {
      id: backup.id,
      kind: backup.kind,
      location: backup.location,
      ...(backup.startedAt ? { startedAt: backup.startedAt.toISOString() } : {}),
      ...(backup.startedAt
        ? { ageSeconds: Math.round((started.getTime() - backup.startedAt.getTime()) / 1000) }
        : {}),
    },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    restored: !options.noRestore && !cheapFailed,
    restoredDocuments,
    databases,
    checks,
    phases,
    ...(janitor ? { janitor } : {}),
  };
}

type Timed = <T>(phase: Phase, fn: () => Promise<T>) => Promise<T>;

async function verifyDatabase(
  options: VerifyOptions,
  dump: DumpDatabase,
  result: DatabaseResult,
  checks: CheckResult[],
  timed: Timed,
  holder: string,
  now: () => Date,
): Promise<number> {
  const { backup, target } = options;
  const many = backup.inventory.databases.length > 1;
  const add = (c: CheckResult) => checks.push(many ? { ...c, database: dump.name } : c);
  const sources = backup.inventory.databases.map((d) => d.name);
  const scratch = scratchDatabaseName(many ? `${backup.id}-${dump.name}` : backup.id);
  result.scratch = scratch;
  await registerScratchDatabase(target, scratch, sources, holder, now());
  let summary: RestoreSummary;
  try {
    try {
      summary = await timed('restore', () =>
        restoreDatabase({
          connection: target,
          database: scratch,
          files: backup.files,
          dump,
          ...(options.placement ? { placement: options.placement } : {}),
          ...(options.parallel ? { parallel: options.parallel } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
    } catch (e) {
      if (options.signal?.aborted) throw e;
      add({ name: 'restore', status: 'fail', reason: `the restore failed: ${toArangopsError(e).message}` });
      return 0;
    }
    add({
      name: 'restore',
      status: 'pass',
      reason: `restored ${summary.documents} document(s) into ${summary.collections.length} collection(s)`,
      details: { skipped: summary.skipped },
    });
    for (const c of result.collections)
      c.restored = summary.collections.find((r) => r.name === c.name)?.documents ?? 0;
    result.skipped = summary.skipped;
    const db = target.database(scratch);
    await timed('checks', async () => {
      const expected = Object.fromEntries(result.collections.map((c) => [c.name, c.expected]));
      const source = backup.manifestCounts?.[dump.name] ? 'manifest' : 'data files';
      const run = async (name: string, fn: () => Promise<CheckResult>) => {
        options.signal?.throwIfAborted();
        try {
          add(await fn());
        } catch (e) {
          if (options.signal?.aborted) throw e;
          add({ name, status: 'fail', reason: `the check could not run: ${toArangopsError(e).message}` });
        }
      };
      await run('counts', () => countsCheck(db, expected, summary, source));
      await run('digest', async () => {
        const recorded = backup.manifestDigests?.[dump.name];
        const expectedDigests: Record<string, string> = {};
        for (const c of dump.collections.filter((x) => !x.isSystem)) {
          expectedDigests[c.name] = recorded?.[c.name] ?? (await dumpDigest(backup.files, c));
        }
        return digestCheck(db, expectedDigests, recorded ? 'manifest' : 'data files');
      });
      await run('structure', () => structureCheck(db, dump, summary));
      await run('edges', () =>
        edgesCheck(
          db,
          summary.collections.filter((c) => c.type === 'edge').map((c) => c.name),
        ),
      );
      if (options.profile)
        await run('profile', () => profileCheck(target, options.profile!.profile, dump.name, scratch));
      else add({ name: 'profile', status: 'skipped', reason: 'no profile given' });
      for (const q of options.checks?.queries ?? []) await run(`query:${q.name}`, () => queryCheck(db, q));
      const completeness = options.checks?.completeness;
      if (!completeness)
        add({
          name: 'completeness',
          status: 'skipped',
          reason: 'the profile declares no creation-time attributes (checks.yaml completeness)',
        });
      else if (!backup.startedAt)
        add({
          name: 'completeness',
          status: 'skipped',
          reason: 'the backup does not record when it started (plain arangodump)',
        });
      else if (!options.live)
        add({ name: 'completeness', status: 'skipped', reason: 'no live database to compare with' });
      else {
        const live = options.live.database(dump.name);
        await run('completeness', () =>
          completenessCheck(
            live,
            db,
            completeness,
            backup.startedAt!,
            summary.collections.map((c) => c.name),
          ),
        );
      }
    });
    return summary.documents;
  } finally {
    await timed('cleanup', () => dropScratchDatabase(target, scratch));
  }
}

function expectedCount(
  backup: BackupUnderTest,
  dump: DumpDatabase,
  collection: string,
  fileCounts: Map<string, number>,
): number {
  return (
    backup.manifestCounts?.[dump.name]?.[collection] ?? fileCounts.get(`${dump.dir}\0${collection}`) ?? 0
  );
}

/** Every structure has its data and vice versa; every data line parses; counts per collection from the files. */
async function dataFileChecks(backup: BackupUnderTest, checks: CheckResult[]): Promise<Map<string, number>> {
  const problems = backup.inventory.databases.flatMap((d) => d.problems);
  checks.push(
    problems.length === 0
      ? {
          name: 'pairing',
          status: 'pass',
          reason: 'every structure file has its data file and every data file its structure',
        }
      : {
          name: 'pairing',
          status: 'fail',
          reason: `${problems.length} file problem(s), first: ${problems[0]!.file}: ${problems[0]!.problem}`,
          details: { problems },
        },
  );
  const counts = new Map<string, number>();
  const unreadable: string[] = [];
  const miscounted: string[] = [];
  let documents = 0;
  for (const d of backup.inventory.databases) {
    for (const c of d.collections) {
      try {
        const counted = c.dataPaths.length === 1 ? backup.dataLineCounts?.[c.dataPaths[0]!] : undefined;
        const n = counted ?? (await countDocuments(backup.files, c.dataPaths));
        counts.set(`${d.dir}\0${c.name}`, n);
        documents += n;
        const recorded = backup.manifestCounts?.[d.name]?.[c.name];
        if (recorded !== undefined && recorded !== n) {
          miscounted.push(`${c.name}: the data file holds ${n} document(s), the manifest says ${recorded}`);
        }
      } catch (e) {
        unreadable.push(e instanceof DumpLineError ? e.message : `${c.name}: ${toArangopsError(e).message}`);
      }
    }
  }
  checks.push(
    unreadable.length === 0
      ? { name: 'data', status: 'pass', reason: `every data file reads: ${documents} document(s)` }
      : {
          name: 'data',
          status: 'fail',
          reason: `${unreadable.length} data file(s) do not read, first: ${unreadable[0]}`,
          details: { unreadable },
        },
  );
  if (backup.manifestCounts) {
    checks.push(
      miscounted.length === 0
        ? {
            name: 'lines',
            status: 'pass',
            reason: 'every data file holds as many documents as the manifest says',
          }
        : { name: 'lines', status: 'fail', reason: miscounted[0]!, details: { miscounted } },
    );
  }
  return counts;
}
