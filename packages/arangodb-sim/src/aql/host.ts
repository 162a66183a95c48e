/**
 * The contract between the simulator's storage (owned by the HTTP layer) and the AQL engine.
 * The engine reads and writes documents only through these interfaces, so the two halves
 * can evolve separately.
 */

/** A stored document: system attributes are always present. */
export type StoredDoc = Record<string, unknown> & { _key: string; _id: string; _rev: string };

/** An error with ArangoDB's wire identity; the HTTP layer renders it as `{code, error, errorMessage, errorNum}`. */
export class SimError extends Error {
  override readonly name = 'SimError';
  constructor(
    /** HTTP status, e.g. 404. */
    readonly code: number,
    /** ArangoDB errorNum, e.g. 1203. */
    readonly errorNum: number,
    message: string,
  ) {
    super(message);
  }
}

export interface HostIndex {
  id: string;
  name: string;
  type: string;
  fields: string[];
  unique: boolean;
  sparse: boolean;
}

export interface WriteOptions {
  /** INSERT ... OPTIONS { overwriteMode }: conflict | ignore | replace | update */
  overwriteMode?: 'conflict' | 'ignore' | 'replace' | 'update';
  keepNull?: boolean;
  mergeObjects?: boolean;
  ignoreRevs?: boolean;
}

export interface HostCollection {
  readonly name: string;
  readonly type: 'document' | 'edge';
  /** Full scan in insertion order. */
  all(): Iterable<StoredDoc>;
  count(): number;
  get(key: string): StoredDoc | undefined;
  indexes(): HostIndex[];
  /** Edge collections: edges whose _from (outbound) or _to (inbound) is the vertex id. */
  edges(vertexId: string, direction: 'outbound' | 'inbound'): Iterable<StoredDoc>;
  /** Writes throw SimError (1210 unique constraint, 1202 not found, 1221 bad key, 1233 bad edge, ...). */
  insert(doc: Record<string, unknown>, options?: WriteOptions): { new: StoredDoc; old?: StoredDoc };
  update(
    key: string,
    patch: Record<string, unknown>,
    options?: WriteOptions,
  ): { new: StoredDoc; old: StoredDoc };
  replace(
    key: string,
    doc: Record<string, unknown>,
    options?: WriteOptions,
  ): { new: StoredDoc; old: StoredDoc };
  remove(key: string, options?: WriteOptions): { old: StoredDoc };
}

export interface HostGraph {
  name: string;
  edgeCollections: string[];
}

/** One database as the engine sees it. */
export interface AqlHost {
  readonly databaseName: string;
  /** Server version to imitate where 3.11 and 3.12 differ (error texts, explain fields); default '3.12'. */
  readonly version?: string;
  /** undefined → the engine raises 1203 "collection or view not found: <name>". */
  collection(name: string): HostCollection | undefined;
  graph(name: string): HostGraph | undefined;
  /** Permission check hook: throws SimError 403/1004 ("read-only") when the caller may not write. */
  assertWritable(collection: string): void;
  /** Milliseconds since the epoch; injectable so TTL and DATE_NOW tests are deterministic. */
  now(): number;
}
