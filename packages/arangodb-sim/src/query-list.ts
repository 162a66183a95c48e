/**
 * Query tracking per database, as ArangoDB's QueryList: the running queries, the slow ones that
 * finished, the tracking properties, and killing by id.
 */
import { SimError } from './aql/host.js';

export interface TrackingProperties {
  enabled: boolean;
  trackSlowQueries: boolean;
  trackBindVars: boolean;
  maxSlowQueries: number;
  slowQueryThreshold: number;
  slowStreamingQueryThreshold: number;
  maxQueryStringLength: number;
}

/** Server defaults (`--query.tracking*`, `--query.slow-threshold`, `--query.slow-streaming-threshold`). */
const DEFAULTS: TrackingProperties = {
  enabled: true,
  trackSlowQueries: true,
  trackBindVars: true,
  maxSlowQueries: 64,
  slowQueryThreshold: 10,
  slowStreamingQueryThreshold: 10,
  maxQueryStringLength: 4096,
};

/** Error 1500 (ERROR_QUERY_KILLED, HTTP 410), which killed queries and queries past their maxRuntime fail with. */
function queryKilled(): SimError {
  return new SimError(410, 1500, 'query killed');
}

export class RunningQuery {
  private killed = false;
  private readonly onKill = new Set<() => void>();
  readonly startedAt = performance.now();

  constructor(
    readonly id: string,
    readonly database: string,
    readonly user: string,
    readonly query: string,
    readonly bindVars: Record<string, unknown>,
    readonly stream: boolean,
    /** Wall-clock start (the simulator's clock) for the `started` timestamp. */
    readonly startedClock: number,
    /** Seconds after which the query is killed (the maxRuntime option); 0 for none. */
    readonly maxRuntime: number,
    readonly peakMemoryUsage: () => number,
    /** The list that tracks it, which it leaves when it ends. */
    readonly queryList: QueryList,
  ) {}

  /** Seconds since the query started. */
  runTime(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Throws error 1500 once the query was killed or ran past its maxRuntime. */
  check(): void {
    if (this.killed || (this.maxRuntime > 0 && this.runTime() > this.maxRuntime)) throw queryKilled();
  }

  kill(): void {
    this.killed = true;
    for (const f of this.onKill) f();
  }

  /**
   * Waits `ms` (what SLEEP() asked for) without blocking other requests; a kill or the maxRuntime
   * deadline ends the wait early with error 1500.
   */
  async wait(ms: number): Promise<void> {
    const left =
      this.maxRuntime > 0
        ? this.maxRuntime * 1000 - (performance.now() - this.startedAt)
        : Number.POSITIVE_INFINITY;
    const cut = left < ms;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.onKill.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, cut ? left : ms));
      // A stopped simulator must not be held open by a query still sleeping.
      timer.unref();
      this.onKill.add(done);
    });
    if (this.killed || cut) throw queryKilled();
  }
}

export class QueryList {
  properties: TrackingProperties = { ...DEFAULTS };
  private readonly current = new Map<string, RunningQuery>();
  private slow: Record<string, unknown>[] = [];

  track(q: RunningQuery): void {
    if (this.properties.enabled) this.current.set(q.id, q);
  }

  /** Removes a finished query; one that ran past its threshold joins the slow list. */
  finish(q: RunningQuery, exitCode: number): void {
    if (!this.current.delete(q.id)) return;
    const p = this.properties;
    const threshold = q.stream ? p.slowStreamingQueryThreshold : p.slowQueryThreshold;
    if (!p.trackSlowQueries || q.runTime() < threshold) return;
    this.slow.push(this.entry(q, 'finished', exitCode));
    if (this.slow.length > p.maxSlowQueries) this.slow.splice(0, this.slow.length - p.maxSlowQueries);
  }

  kill(id: string): void {
    const q = this.current.get(id);
    if (!q) throw new SimError(404, 1591, 'query ID not found in query list');
    q.kill();
  }

  listCurrent(): Record<string, unknown>[] {
    return [...this.current.values()].map((q) => this.entry(q, 'executing'));
  }

  listSlow(): Record<string, unknown>[] {
    return this.properties.trackSlowQueries ? this.slow : [];
  }

  clearSlow(): void {
    this.slow = [];
  }

  /** Applies a PUT body; only known attributes of the right type count, as the server reads them. */
  update(body: Record<string, unknown>): void {
    const p = this.properties;
    const flag = (k: 'enabled' | 'trackSlowQueries' | 'trackBindVars'): void => {
      if (typeof body[k] === 'boolean') p[k] = body[k];
    };
    flag('enabled');
    flag('trackSlowQueries');
    flag('trackBindVars');
    const num = (k: string): number | undefined => {
      const v = body[k];
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    };
    const seconds = (v: number): number => Math.max(v, 0);
    const maxSlow = num('maxSlowQueries');
    if (maxSlow !== undefined) p.maxSlowQueries = Math.min(Math.max(0, Math.trunc(maxSlow)), 16384);
    const slow = num('slowQueryThreshold');
    if (slow !== undefined) p.slowQueryThreshold = seconds(slow);
    const slowStream = num('slowStreamingQueryThreshold');
    if (slowStream !== undefined) p.slowStreamingQueryThreshold = seconds(slowStream);
    const maxLength = num('maxQueryStringLength');
    if (maxLength !== undefined)
      p.maxQueryStringLength = Math.min(Math.max(Math.trunc(maxLength), 64), 32 << 20);
    // Turning tracking off also stops slow-query tracking (QueryList: trackSlowQueries && enabled).
    if (!p.enabled) p.trackSlowQueries = false;
    if (this.slow.length > p.maxSlowQueries) this.slow.splice(0, this.slow.length - p.maxSlowQueries);
  }

  private entry(q: RunningQuery, state: string, exitCode?: number): Record<string, unknown> {
    const p = this.properties;
    const text =
      q.query.length > p.maxQueryStringLength ? `${q.query.slice(0, p.maxQueryStringLength)}...` : q.query;
    const e: Record<string, unknown> = {
      id: q.id,
      database: q.database,
      user: q.user,
      query: text,
      bindVars: p.trackBindVars ? q.bindVars : {},
      // TRI_StringTimeStamp: seconds precision, UTC.
      started: new Date(q.startedClock).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      runTime: q.runTime(),
      peakMemoryUsage: q.peakMemoryUsage(),
      state,
      stream: q.stream,
    };
    if (exitCode !== undefined) e.exitCode = exitCode;
    return e;
  }
}

const lists = new WeakMap<object, QueryList>();

/** The query list of a database (keyed by its object, so a dropped database takes its list along). */
export function queryList(db: object): QueryList {
  let l = lists.get(db);
  if (!l) {
    l = new QueryList();
    lists.set(db, l);
  }
  return l;
}
