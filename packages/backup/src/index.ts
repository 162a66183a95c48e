export { awsClientConfig } from './aws.js';
export {
  ALGORITHM_SUITE,
  type BackupCipher,
  backupCipher,
  type EncryptionScope,
  encryptionContext,
  FRAME_LENGTH,
} from './crypto/envelope.js';
export { type BackupKey, type KeySource, loadBackupKey } from './crypto/keys.js';
export {
  type CollectionFilter,
  type CollectionInventory,
  collectionInventory,
  databaseProperties,
  listCollections,
  SYSTEM_COLLECTIONS_KEPT,
  serverInfo,
  viewInventory,
} from './dump/inventory.js';
export { type ReadCollectionOptions, readCollection } from './dump/read-collection.js';
export * from './errors.js';
export { ContentDigest, DIGEST_ALGORITHM, documentHash } from './format/digest.js';
export * from './format/layout.js';
export {
  canonicalJson,
  isLosslessNumber,
  type LosslessDocument,
  LosslessNumber,
  type LosslessValue,
  parseLossless,
  stringifyLossless,
} from './format/lossless.js';
export {
  CONSISTENCY_NOTE,
  MANIFEST_FORMAT,
  type Manifest,
  type ManifestCollection,
  type ManifestFile,
  manifestSchema,
  type ReadManifest,
  type ReadManifestOptions,
  readManifest,
  sealManifest,
} from './format/manifest.js';
export { decryptBackup } from './job/decrypt-backup.js';
export { type BackupListing, listBackups } from './job/list-backups.js';
export {
  type BackupProgress,
  type BackupResult,
  type RunBackupOptions,
  runBackup,
} from './job/run-backup.js';
export { storeRunRecords } from './job/run-records.js';
export {
  BACKUP_FAILURE_REASONS,
  BACKUP_METRICS,
  type BackupFailureReason,
  type BackupMetrics,
  backupRunRecord,
  failedBackupRunRecord,
  failureReason,
  recordBackupMetrics,
  registerBackupMetrics,
} from './metrics/backup-metrics.js';
export {
  recordVerifyMetrics,
  registerVerifyMetrics,
  VERIFY_METRICS,
  type VerifyMetrics,
  verifyRunRecord,
} from './metrics/verify-metrics.js';
export {
  deleteBackup,
  INCOMPLETE_GRACE_MS,
  type PruneDecision,
  planPrune,
  type RetentionPolicy,
} from './prune/plan-prune.js';
export * from './report/index.js';
export * from './restore/index.js';
export * from './source/index.js';
export { openStore, type StoreOptions } from './store/open-store.js';
export type { BackupStore, StoredObject } from './store/types.js';
export * from './verify/index.js';
