/** The AQL engine's public types. */

export type QueryStats = {
  writesExecuted: number;
  writesIgnored: number;
  scannedFull: number;
  scannedIndex: number;
  filtered: number;
  executionTime: number;
  peakMemoryUsage: number;
  httpRequests: number;
  cacheHits: number;
  cacheMisses: number;
  cursorsCreated: number;
  cursorsRearmed: number;
  documentLookups: number;
  seeks: number;
  intermediateCommits: number;
};

export type ExplainPlan = {
  nodes: unknown[];
  rules: string[];
  collections: { name: string; type: 'read' | 'write' }[];
  variables: unknown[];
  estimatedCost: number;
  estimatedNrItems: number;
  isModificationQuery: boolean;
};

export interface QueryOptions {
  fullCount?: boolean;
  /** Adds per-node statistics (`stats.nodes`). */
  profile?: boolean | number;
  /** Bytes; exceeding it fails the query with error 32. */
  memoryLimit?: number;
  /** The first warning fails the query (400 with the warning's errorNum). */
  failOnWarning?: boolean;
  /** Evaluate batch by batch as `next` asks, where the query's shape allows (streaming cursors). */
  lazy?: boolean;
}

/** A started query: results come out as they are asked for. */
export interface QueryRun {
  /** Up to `n` more result values; an empty array once done. */
  next(n: number): unknown[];
  readonly done: boolean;
  /** Values evaluated but not yet returned by `next`. */
  readonly pending: number;
  /** Seconds SLEEP() has asked for so far; the caller waits them out. */
  readonly slept: number;
  /** Bytes the query holds at its peak so far. */
  readonly peakMemoryUsage: number;
  /** Statistics, warnings and fullCount; final once `done`. */
  summary(): Omit<QueryResult, 'result'>;
}

/** Per-node statistics with the profile option, as `extra.stats.nodes` reports them. */
export interface ProfileNode {
  id: number;
  calls: number;
  parallel: number;
  items: number;
  filtered: number;
  runtime: number;
}

export interface QueryResult {
  result: unknown[];
  stats: QueryStats & { nodes?: ProfileNode[] };
  warnings: { code: number; message: string }[];
  /** With the fullCount option: rows the last top-level LIMIT received. */
  fullCount?: number;
}

export interface ParseResult {
  collections: string[];
  bindVars: string[];
  ast: unknown[];
}

export interface ExplainResult {
  plan: ExplainPlan;
  cacheable: boolean;
  warnings: unknown[];
  stats: Record<string, number>;
}
