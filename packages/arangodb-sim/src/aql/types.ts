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
