/**
 * `arangops-manifest.json`: what a backup holds and how to check it, written last as the commit
 * marker. The file is `{ "manifest": {…}, "seal": "<base64>" }`: the seal is an Encryption SDK
 * message (same key and context as the backup's objects) holding the SHA-256 of the manifest's
 * canonical JSON, so an edited manifest fails {@link readManifest} with a key.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type BackupCipher, backupCipher } from '../crypto/envelope.js';
import type { BackupKey } from '../crypto/keys.js';
import { BackupIntegrityError } from '../errors.js';
import type { BackupStore } from '../store/types.js';
import { BACKUP_MANIFEST_FILE, backupPrefix } from './layout.js';
import { canonicalJson, type LosslessValue, parseLossless } from './lossless.js';

export const MANIFEST_FORMAT = 'arangops-backup/1';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestFileSchema = z.object({
  /** Name in the decrypted arangodump directory. */
  name: z.string().min(1),
  /** Key of the stored object, relative to the backup folder. */
  object: z.string().min(1),
  plainBytes: z.number().int().nonnegative(),
  plainSha256: sha256Hex,
  storedBytes: z.number().int().nonnegative(),
  storedSha256: sha256Hex,
});

export const manifestCollectionSchema = z.object({
  name: z.string().min(1),
  type: z.enum(['document', 'edge']),
  isSystem: z.boolean(),
  documents: z.number().int().nonnegative(),
  /** Order-independent content digest (format/digest.ts). */
  digest: sha256Hex,
  structureFile: z.string(),
  dataFile: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
});

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  backupId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  tool: z.object({ name: z.literal('arangops'), version: z.string() }),
  server: z.object({
    version: z.string(),
    license: z.string().optional(),
    deployment: z.enum(['single', 'cluster']),
  }),
  database: z.object({ name: z.string(), properties: z.record(z.string(), z.unknown()) }),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  /** Said in so many words: each collection is read by its own cursor, at its own time. */
  consistency: z.string(),
  encryption: z.object({
    sdk: z.literal('aws-encryption-sdk'),
    algorithmSuite: z.string(),
    frameLength: z.number().int().positive(),
    keyKind: z.enum(['kms', 'raw-aes']),
    keyId: z.string(),
    encryptionContext: z.record(z.string(), z.string()),
  }),
  digestAlgorithm: z.string(),
  collections: z.array(manifestCollectionSchema),
  views: z.array(z.string()),
  files: z.array(manifestFileSchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof manifestFileSchema>;
export type ManifestCollection = z.infer<typeof manifestCollectionSchema>;

export const CONSISTENCY_NOTE =
  'per-collection: each collection is read by its own streaming cursor, so a backup of a database being written is ' +
  'consistent within each collection but is not a point-in-time snapshot across collections (arangodump has the same limit).';

function manifestDigest(manifest: LosslessValue): string {
  return createHash('sha256').update(canonicalJson(manifest)).digest('hex');
}

/** The manifest file's bytes, sealed with the backup's key. */
export async function sealManifest(manifest: Manifest, cipher: BackupCipher): Promise<string> {
  const valid = manifestSchema.parse(manifest);
  const digest = manifestDigest(parseLossless(JSON.stringify(valid)));
  const seal = (await cipher.seal(digest)).toString('base64');
  return `${JSON.stringify({ manifest: valid, seal }, null, 2)}\n`;
}

export interface ReadManifestOptions {
  /** Checks the seal with the backup's key; without it the manifest is read unauthenticated (listing). */
  key?: BackupKey;
}

export interface ReadManifest {
  manifest: Manifest;
  /** True when the seal was checked. */
  authenticated: boolean;
  /** With a key: the cipher that decrypts this backup's objects (same key, context of the manifest). */
  cipher?: BackupCipher;
}

/**
 * Reads and validates `backups/<id>/arangops-manifest.json`. Throws ObjectNotFoundError when there
 * is none (an incomplete backup), BackupIntegrityError when it does not parse, and KeyError when the
 * seal does not match (edited, or sealed for another backup).
 */
export async function readManifest(
  store: BackupStore,
  backupId: string,
  options: ReadManifestOptions = {},
): Promise<ReadManifest> {
  const where = `${store.url}${backupPrefix(backupId)}${BACKUP_MANIFEST_FILE}`;
  const text = (await store.getBytes(`${backupPrefix(backupId)}${BACKUP_MANIFEST_FILE}`)).toString('utf8');
  let raw: { manifest?: LosslessValue; seal?: LosslessValue };
  try {
    raw = parseLossless(text) as typeof raw;
  } catch (e) {
    throw new BackupIntegrityError(`${where}: not valid JSON: ${(e as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text).manifest);
  if (!parsed.success || typeof raw.seal !== 'string') {
    const issue = parsed.error?.issues[0];
    const field = issue ? `manifest.${issue.path.join('.')}: ${issue.message}` : 'seal: missing';
    throw new BackupIntegrityError(`${where}: ${field}`);
  }
  if (parsed.data.backupId !== backupId) {
    throw new BackupIntegrityError(
      `${where}: names backup ${parsed.data.backupId}, stored under ${backupId}`,
    );
  }
  if (!options.key) return { manifest: parsed.data, authenticated: false };
  // The context comes from the manifest: an edited database name fails the seal like any other edit.
  const cipher = backupCipher(options.key, { database: parsed.data.database.name, backupId });
  await cipher.checkSeal(Buffer.from(raw.seal, 'base64'), manifestDigest(raw.manifest!));
  return { manifest: parsed.data, authenticated: true, cipher };
}
