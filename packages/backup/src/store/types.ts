import type { Readable } from 'node:stream';

export interface StoredObject {
  /** Relative to the store root, `/`-separated. */
  key: string;
  size: number;
  lastModified: Date;
}

/**
 * Where backups live: `s3://bucket/prefix` or `file:///path`. An object becomes visible only once
 * written in full (file: renamed from a temporary name; S3: multipart upload completed); a failed
 * write leaves nothing behind (S3 multipart uploads are aborted).
 */
export interface BackupStore {
  /** The store URL, for messages (never holds credentials). */
  readonly url: string;
  put(key: string, body: Readable | Buffer | string): Promise<void>;
  /** Throws {@link ObjectNotFoundError} when absent. */
  get(key: string): Promise<Readable>;
  getBytes(key: string): Promise<Buffer>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<StoredObject>;
  delete(keys: readonly string[]): Promise<void>;
  close(): void;
}
