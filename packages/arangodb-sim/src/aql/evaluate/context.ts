/** Per-query execution state shared by the expression compiler and the pipeline. */
import type { Statement } from '../ast.js';
import { collectionNotFound, memoryLimitExceeded } from '../errors.js';
import type { FunctionContext } from '../functions/index.js';
import { type AqlHost, type HostCollection, SimError, type StoredDoc } from '../host.js';
import type { AccessPlan } from '../index-selection.js';
import type { QueryStats } from '../types.js';

export function emptyStats(): QueryStats {
  return {
    writesExecuted: 0,
    writesIgnored: 0,
    scannedFull: 0,
    scannedIndex: 0,
    filtered: 0,
    executionTime: 0,
    peakMemoryUsage: 0,
    httpRequests: 0,
    cacheHits: 0,
    cacheMisses: 0,
    cursorsCreated: 0,
    cursorsRearmed: 0,
    documentLookups: 0,
    seeks: 0,
    intermediateCommits: 0,
  };
}

/** The statement an execution error came from, so 3.12 messages can name its plan node. */
export const errorOrigin = new WeakMap<object, Statement>();

/** A slot array indexed by variable id; pipelines reuse one frame and copy only where rows are buffered. */
export type Frame = unknown[];

/** Bytes charged for one buffered row, a rough stand-in for ArangoDB's per-row block overhead. */
export const ROW_BYTES = 32;

export class ExecContext implements FunctionContext {
  readonly stats = emptyStats();
  readonly warnings: { code: number; message: string }[] = [];
  /** Collections written so far: reading them afterwards is error 1579. */
  readonly modified = new Set<string>();
  private memory = 0;
  /** Index choices and the statements they make redundant. */
  access: AccessPlan = { choices: new Map(), removed: new Set() };
  /** The top-level LIMIT whose input is counted when the fullCount option is set. */
  fullCountLimit: Statement | undefined;
  fullCount: number | undefined;
  /** Per-query equality lookups for persistent indexes, by index id (see index-scan.ts). */
  readonly indexLookups = new Map<string, Map<unknown, StoredDoc[]>>();
  /** Compiled subquery bodies, compiled once per query. */
  readonly subqueries = new Map<Statement[], (outer: Frame) => unknown[]>();
  /** With the profile option: rows each statement's stage produced. */
  profile: Map<Statement, number> | undefined;

  constructor(
    readonly host: AqlHost,
    readonly bindVars: Record<string, unknown>,
    readonly memoryLimit: number | undefined,
  ) {}

  /** Seconds SLEEP() asked for; reported in executionTime. */
  slept = 0;

  sleep(seconds: number): void {
    this.slept += seconds;
  }

  now(): number {
    return this.host.now() + Math.round(this.slept * 1000);
  }

  /** The failOnWarning option: the first warning fails the query with its own errorNum. */
  failOnWarning = false;

  warn(code: number, message: string): void {
    if (this.failOnWarning) throw new SimError(400, code, message);
    if (this.warnings.length < 10) this.warnings.push({ code, message });
  }

  collection(name: string): HostCollection {
    const c = this.host.collection(name);
    if (!c) throw collectionNotFound(name);
    return c;
  }

  /** Tracks buffered bytes; throws error 32 once the query's memoryLimit is exceeded. */
  charge(bytes: number): void {
    this.memory += bytes;
    if (this.memory > this.stats.peakMemoryUsage) this.stats.peakMemoryUsage = this.memory;
    if (this.memoryLimit !== undefined && this.memoryLimit > 0 && this.memory > this.memoryLimit) {
      throw memoryLimitExceeded();
    }
  }

  release(bytes: number): void {
    this.memory -= bytes;
  }
}

/** Rough in-memory size of a value, used only when a memoryLimit is set. */
export function sizeOf(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 8;
  if (typeof v === 'string') return 8 + v.length;
  if (Array.isArray(v)) {
    let s = 16;
    for (const x of v) s += sizeOf(x);
    return s;
  }
  let s = 16;
  for (const [k, x] of Object.entries(v as object)) s += k.length + sizeOf(x);
  return s;
}
