/**
 * A synthetic store history: 12 weeks of daily backups (manifests and sized
 * objects), a weekly full verification, a cheap one after Monday's backup, and
 * drift run records, written through the real store, layout and result code.
 * The numbers grow week by week so that the trends have a known shape.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  BACKUP_MANIFEST_FILE,
  type BackupStore,
  backupPrefix,
  type IsoWeek,
  MANIFEST_FORMAT,
  newBackupId,
  openStore,
  type VerifyResult,
  weeksEndingWith,
  writeResult,
} from '@arangops/backup';
import { awsConfigSchema } from '@arangops/core';

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const SHA = 'a'.repeat(64);

/** What week `i` (0 = oldest) holds. */
export const weekly = {
  dataBytes: (i: number) => 10_000 * (i + 1),
  backupSeconds: (i: number) => 60 + 10 * i,
  rtoSeconds: (i: number) => 30 + 5 * i,
};

export interface SyntheticOptions {
  /** The report's week: the last of the 12. */
  week: IsoWeek;
  /** Week indexes (0..11) with no full verification. */
  unverified?: number[];
  /** The last week's full verification fails its digest check. */
  failLastWeek?: boolean;
}

export interface SyntheticHistory {
  store: BackupStore;
  /** Stored bytes (data object + manifest) of each backup, by id. */
  storedBytes: Map<string, number>;
  /** Newest backup per week. */
  newestPerWeek: string[];
  lastWeekBackups: string[];
}

export const DIGEST_REASON =
  'collection agents: the restored documents’ digest 3f2a… differs from the backup’s 9c41… (content changed)';

export function verifyResult(
  backupId: string,
  started: Date,
  options: { rto?: number; failDigest?: boolean; ageSeconds?: number },
): VerifyResult {
  const full = options.rto !== undefined;
  const finished = new Date(started.getTime() + ((options.rto ?? 0) + 20) * 1000);
  const checks: VerifyResult['checks'] = [
    { name: 'manifest', status: 'pass', reason: 'present, and its seal matches (authentic)' },
    { name: 'hashes', status: 'pass', reason: 'stored and plaintext sizes and SHA-256 match the manifest' },
    full
      ? { name: 'restore', status: 'pass', reason: 'restored 3200 document(s) into 3 collection(s)' }
      : { name: 'restore', status: 'skipped', reason: 'cheap checks only (--no-restore)' },
  ];
  if (full) {
    checks.push(
      { name: 'counts', status: 'pass', reason: '3 collections hold the manifest counts' },
      options.failDigest
        ? { name: 'digest', status: 'fail', reason: DIGEST_REASON }
        : {
            name: 'digest',
            status: 'pass',
            reason: 'the content of 3 collection(s) equals the manifest digest',
          },
    );
  }
  return {
    schemaVersion: 1,
    tool: { name: 'arangops', version: 'test' },
    verdict: options.failDigest ? 'fail' : 'pass',
    backup: {
      id: backupId,
      kind: 'arangops',
      location: `file:///store/backups/${backupId}/`,
      ageSeconds: options.ageSeconds ?? 7200,
    },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    restored: full,
    restoredDocuments: full ? 3200 : 0,
    databases: [
      {
        source: 'codevaldcortex',
        collections: [
          { name: 'agents', type: 'document', expected: 200, ...(full ? { restored: 200 } : {}) },
        ],
      },
    ],
    checks,
    phases: { download: 1, decrypt: 2, cheap: 3, ...(full ? { restore: options.rto!, checks: 4 } : {}) },
  };
}

async function putBackup(
  store: BackupStore,
  at: Date,
  dataBytes: number,
  seconds: number,
): Promise<[string, number]> {
  const id = newBackupId('codevaldcortex', at, randomBytes(2).toString('hex'));
  await store.put(`${backupPrefix(id)}agents_x.data.json.gz.enc`, Buffer.alloc(dataBytes));
  const finished = new Date(at.getTime() + seconds * 1000).toISOString();
  const manifest = {
    format: MANIFEST_FORMAT,
    backupId: id,
    tool: { name: 'arangops', version: 'test' },
    server: { version: '3.12.4', deployment: 'cluster' },
    database: { name: 'codevaldcortex', properties: {} },
    startedAt: at.toISOString(),
    finishedAt: finished,
    consistency: 'per collection',
    encryption: {
      sdk: 'aws-encryption-sdk',
      algorithmSuite: 'x',
      frameLength: 4096,
      keyKind: 'raw-aes',
      keyId: 'k',
      encryptionContext: {},
    },
    digestAlgorithm: 'sha256-sum',
    collections: [
      {
        name: 'agents',
        type: 'document',
        isSystem: false,
        documents: 200,
        digest: SHA,
        structureFile: 's',
        dataFile: 'agents_x.data.json.gz',
        startedAt: at.toISOString(),
        finishedAt: finished,
      },
    ],
    views: [],
    files: [],
  };
  const text = JSON.stringify({ manifest, seal: 'c2VhbA==' });
  await store.put(`${backupPrefix(id)}${BACKUP_MANIFEST_FILE}`, text);
  return [id, dataBytes + Buffer.byteLength(text)];
}

export function fileStoreAt(dir: string): BackupStore {
  return openStore(pathToFileURL(dir).href, { aws: awsConfigSchema.parse({}) });
}

export async function syntheticHistory(
  store: BackupStore,
  options: SyntheticOptions,
): Promise<SyntheticHistory> {
  const weeks = weeksEndingWith(options.week, 12);
  const storedBytes = new Map<string, number>();
  const newestPerWeek: string[] = [];
  let lastWeekBackups: string[] = [];
  for (const [i, week] of weeks.entries()) {
    const ids: string[] = [];
    for (let day = 0; day < 7; day++) {
      const at = new Date(week.from.getTime() + day * DAY + 2 * HOUR);
      const [id, bytes] = await putBackup(store, at, weekly.dataBytes(i), weekly.backupSeconds(i));
      storedBytes.set(id, bytes);
      ids.push(id);
      await store.put(
        `runs/drift/${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}.json`,
        JSON.stringify({
          job: 'drift',
          success: !(i === 11 && day === 2),
          startedAt: at.toISOString(),
          finishedAt: new Date(at.getTime() + 5000).toISOString(),
          durationSeconds: 5,
          summary: { items: i === 11 && day === 2 ? 2 : 0, destructive: 0 },
          ...(i === 11 && day === 2 ? { message: '2 drift item(s), fail-on breaking' } : {}),
        }),
      );
    }
    newestPerWeek.push(ids.at(-1)!);
    if (i === 11) lastWeekBackups = ids;
    // A cheap verification after Monday's backup.
    await writeResult(
      store,
      verifyResult(ids[0]!, new Date(week.from.getTime() + 2 * HOUR + 10 * 60_000), {}),
    );
    if (!options.unverified?.includes(i)) {
      // The full verification on Sunday 04:00, of Sunday's backup.
      const sunday = new Date(week.from.getTime() + 6 * DAY + 4 * HOUR);
      await writeResult(
        store,
        verifyResult(ids[6]!, sunday, {
          rto: weekly.rtoSeconds(i),
          failDigest: i === 11 && options.failLastWeek === true,
        }),
      );
    }
  }
  return { store, storedBytes, newestPerWeek, lastWeekBackups };
}
