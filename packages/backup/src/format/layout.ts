/**
 * Where a backup's objects live in a store and what they are called.
 *
 * A store holds `backups/<backupId>/` (one backup each) and, beside it, `results/`, `runs/` and `reports/`.
 * Inside a backup folder every file of an arangodump directory is kept under its arangodump name plus
 * {@link ENCRYPTED_SUFFIX}: each object is one AWS Encryption SDK message whose plaintext is that file,
 * byte for byte. Decrypting every object and dropping the suffix gives a directory arangorestore reads.
 * {@link BACKUP_MANIFEST_FILE} is the exception: plain JSON (so `list` needs no key), sealed by an
 * Encryption SDK message over its digest (see manifest.ts), and written last.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The object that commits a backup: written last; a prefix without a valid one is incomplete. */
export const BACKUP_MANIFEST_FILE = 'arangops-manifest.json';
/** Every stored object except the manifest is an Encryption SDK message of the arangodump file named before it. */
export const ENCRYPTED_SUFFIX = '.enc';
export const BACKUPS_PREFIX = 'backups/';
export const RESULTS_PREFIX = 'results/';
export const RUNS_PREFIX = 'runs/';
export const REPORTS_PREFIX = 'reports/';

export const DUMP_JSON_FILE = 'dump.json';
export const ENCRYPTION_FILE = 'ENCRYPTION';
/** What `ENCRYPTION` holds in the decrypted directory: arangodump's own encryption is not used. */
export const ENCRYPTION_NONE = 'none';

const BACKUP_ID = /^(\d{8}T\d{6}Z)-([A-Za-z0-9_-]+)-([0-9a-f]{4,})$/;

/** `20261205T020000Z-codevaldcortex-3f9a`: sortable by time; database names outside `[A-Za-z0-9_-]` are mapped to `_`. */
export function newBackupId(
  database: string,
  at: Date = new Date(),
  suffix = randomBytes(2).toString('hex'),
): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${database.replace(/[^A-Za-z0-9_-]/g, '_')}-${suffix}`;
}

export interface ParsedBackupId {
  createdAt: Date;
  database: string;
}

/** The time and (mapped) database a backup id names; undefined when it is not one. */
export function parseBackupId(id: string): ParsedBackupId | undefined {
  const m = BACKUP_ID.exec(id);
  if (!m) return undefined;
  const s = m[1]!;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
  const createdAt = new Date(iso);
  return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, database: m[2]! };
}

export function backupPrefix(backupId: string): string {
  return `${BACKUPS_PREFIX}${backupId}/`;
}

/** Store key of one file of a backup: `backups/<id>/<arangodump name>.enc` (the manifest keeps its name). */
export function objectKey(backupId: string, file: string): string {
  return `${backupPrefix(backupId)}${file === BACKUP_MANIFEST_FILE ? file : `${file}${ENCRYPTED_SUFFIX}`}`;
}

/** The arangodump file name of a stored object name, or undefined for objects that are not one. */
export function plainFileName(objectName: string): string | undefined {
  return objectName.endsWith(ENCRYPTED_SUFFIX) ? objectName.slice(0, -ENCRYPTED_SUFFIX.length) : undefined;
}

/** `<name>_<md5(name)>`: the stem arangodump gives a collection's files (single-server naming; restore accepts it for clusters too). */
export function collectionStem(collection: string): string {
  return `${collection}_${createHash('md5').update(collection).digest('hex')}`;
}

export function structureFileName(collection: string): string {
  return `${collectionStem(collection)}.structure.json`;
}

/** Data as gzipped JSON lines, arangodump's default (`--compress-output true`). */
export function dataFileName(collection: string): string {
  return `${collectionStem(collection)}.data.json.gz`;
}

export function viewFileName(view: string): string {
  return `${view}.view.json`;
}
