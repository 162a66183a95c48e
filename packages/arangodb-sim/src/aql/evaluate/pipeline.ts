/**
 * Push-based execution: each statement becomes a stage that receives rows (frames) and pushes them on.
 * Streaming stages reuse the caller's frame; only buffering stages (SORT, COLLECT) copy rows.
 * `push` returns false once downstream wants no more rows, which lets LIMIT stop the scans above it.
 */
import type { Expr, Statement } from '../ast.js';
import { collectStage } from '../collect.js';
import { accessAfterModification, ERR } from '../errors.js';
import { SimError } from '../host.js';
import { sortLimit } from '../sort-limit.js';
import { traversalStage } from '../traversal.js';
import { type ExecContext, errorOrigin, type Frame, ROW_BYTES, sizeOf } from './context.js';
import { type Compiled, compileExpr, dataSourceParam } from './expression.js';
import { indexScan } from './index-scan.js';
import { modifyStage, upsertStage } from './modify.js';
import { compare, equals, toNumber, truthy, typeName } from './values.js';

export interface Sink {
  push(f: Frame): boolean;
  end(): void;
}

export interface Run {
  result: unknown[];
  /** The frame the body started from; COLLECT uses it when no row arrives. */
  initial: Frame;
}

export type Stage = (next: Sink, run: Run) => Sink;

/** A compiled statement list: call it with the enclosing frame, get the RETURN values. */
export type Body = (outer: Frame) => unknown[];

export function compileBody(body: Statement[], ctx: ExecContext): Body {
  const kept = body.filter((s) => !ctx.access.removed.has(s));
  const stages = kept.map((s, i) => profiled(s, compileStatement(s, ctx, kept[i + 1]), ctx));
  return (outer) => {
    const run: Run = { result: [], initial: outer };
    let sink: Sink = { push: () => true, end: () => {} };
    for (let i = stages.length - 1; i >= 0; i--) sink = (stages[i] as Stage)(sink, run);
    sink.push(outer);
    sink.end();
    return run.result;
  };
}

/** Counts the rows a stage passes on, for the profile option's per-node statistics. */
function profiled(s: Statement, stage: Stage, ctx: ExecContext): Stage {
  const counts = ctx.profile;
  if (!counts) return stage;
  counts.set(s, counts.get(s) ?? 0);
  return (next, run) =>
    stage(
      {
        push(f) {
          counts.set(s, (counts.get(s) ?? 0) + 1);
          return next.push(f);
        },
        end: () => next.end(),
      },
      run,
    );
}

export function runSubquery(body: Statement[], ctx: ExecContext, f: Frame): unknown[] {
  let compiled = ctx.subqueries.get(body);
  if (!compiled) {
    compiled = compileBody(body, ctx);
    ctx.subqueries.set(body, compiled);
  }
  // Subqueries see a copy: their loops overwrite slots the enclosing pipeline may still be reading.
  return compiled(f.slice());
}

function compileStatement(s: Statement, ctx: ExecContext, next: Statement | undefined): Stage {
  switch (s.kind) {
    case 'for':
      return forStage(s, ctx);
    case 'traversal':
      return traversalStage(s, ctx);
    case 'let': {
      const id = s.variable.id;
      const expr = compileExpr(s.expr, ctx);
      return (next) => ({
        push(f) {
          f[id] = expr(f);
          return next.push(f);
        },
        end: () => next.end(),
      });
    }
    case 'filter': {
      const cond = compileExpr(s.expr, ctx);
      const stats = ctx.stats;
      return (next) => ({
        push(f) {
          if (truthy(cond(f))) return next.push(f);
          stats.filtered++;
          return true;
        },
        end: () => next.end(),
      });
    }
    case 'sort':
      return sortStage(
        s.elements.map((e) => ({ key: compileExpr(e.expr, ctx), dir: e.ascending ? 1 : -1 })),
        ctx,
        sortLimit(next, ctx.fullCountLimit, ctx.bindVars),
      );
    case 'limit':
      return limitStage(s, ctx);
    case 'collect':
      return collectStage(s, ctx);
    case 'return':
      return returnStage(s, compileExpr(s.expr, ctx), s.distinct, ctx);
    case 'modify':
      return modifyStage(s, ctx);
    case 'upsert':
      return upsertStage(s, ctx);
  }
}

/** The collection a FOR loop reads, if its source is one. */
export function forCollection(s: Statement & { kind: 'for' }, ctx: ExecContext): string | undefined {
  if (s.source.kind === 'collection') return s.source.name;
  if (s.source.kind === 'param' && s.source.name.startsWith('@')) return dataSourceParam(ctx, s.source.name);
  return undefined;
}

/** The operand of `FOR x IN <expr>`, which must be an array (error 1563 names what it got). */
function loopArray(s: Statement & { kind: 'for' }, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  const err = new SimError(
    400,
    ERR.arrayExpected,
    `collection or array expected as operand to FOR loop; you specified type '${typeName(v)}' with content '${JSON.stringify(v ?? null)}'`,
  );
  errorOrigin.set(err, s);
  throw err;
}

/** `a..b` as first value, last value and step; ranges count down when b < a. */
function rangeOf(from: Compiled, to: Compiled, f: Frame): [number, number, number] {
  const a = Math.trunc(toNumber(from(f)));
  const b = Math.trunc(toNumber(to(f)));
  return [a, b, a <= b ? 1 : -1];
}

/** What a FOR loop iterates, as an iterator started afresh for each frame (lazy evaluation). */
type LoopSource = (f: Frame) => Iterator<unknown>;

/** A FOR over a collection: its name, the collection, and the index scan chosen for it, if any. */
function collectionLoop(s: Statement & { kind: 'for' }, ctx: ExecContext) {
  const name = forCollection(s, ctx);
  if (name === undefined) return undefined;
  const coll = ctx.collection(name);
  const choice = ctx.access.choices.get(s);
  return { name, coll, scan: choice ? indexScan(coll, choice, ctx) : undefined };
}

function loopSource(s: Statement & { kind: 'for' }, ctx: ExecContext): LoopSource {
  const loop = collectionLoop(s, ctx);
  if (loop) {
    const { name: collName, coll, scan } = loop;
    const stats = ctx.stats;
    return (f) => {
      if (ctx.modified.has(collName)) throw accessAfterModification(collName);
      if (scan) return scan(f)[Symbol.iterator]();
      const docs = coll.all()[Symbol.iterator]();
      return {
        next() {
          const r = docs.next();
          if (!r.done) stats.scannedFull++;
          return r;
        },
      };
    };
  }
  if (s.source.kind === 'range') {
    const from = compileExpr(s.source.from, ctx);
    const to = compileExpr(s.source.to, ctx);
    return (f) => {
      const [a, b, step] = rangeOf(from, to, f);
      let i = a;
      return {
        next() {
          if (step > 0 ? i > b : i < b) return { done: true, value: undefined };
          const value = i;
          i += step;
          return { done: false, value };
        },
      };
    };
  }
  const source = compileExpr(s.source, ctx);
  return (f) => loopArray(s, source(f))[Symbol.iterator]();
}

/** A FOR loop pushing each value on; plain loops, as it is the hot path of every query. */
function forStage(s: Statement & { kind: 'for' }, ctx: ExecContext): Stage {
  const id = s.variable.id;
  const loop = collectionLoop(s, ctx);
  if (loop) {
    const { name: collName, coll, scan } = loop;
    const stats = ctx.stats;
    return (next) => ({
      push(f) {
        if (ctx.modified.has(collName)) throw accessAfterModification(collName);
        if (scan) {
          for (const doc of scan(f)) {
            f[id] = doc;
            if (!next.push(f)) return false;
          }
          return true;
        }
        for (const doc of coll.all()) {
          stats.scannedFull++;
          f[id] = doc;
          if (!next.push(f)) return false;
        }
        return true;
      },
      end: () => next.end(),
    });
  }
  if (s.source.kind === 'range') {
    // Iterate ranges lazily: `FOR i IN 1..1000000` must not materialize a million numbers.
    const from = compileExpr(s.source.from, ctx);
    const to = compileExpr(s.source.to, ctx);
    return (next) => ({
      push(f) {
        const [a, b, step] = rangeOf(from, to, f);
        for (let i = a; step > 0 ? i <= b : i >= b; i += step) {
          f[id] = i;
          if (!next.push(f)) return false;
        }
        return true;
      },
      end: () => next.end(),
    });
  }
  const source = compileExpr(s.source, ctx);
  return (next) => ({
    push(f) {
      for (const x of loopArray(s, source(f))) {
        f[id] = x;
        if (!next.push(f)) return false;
      }
      return true;
    },
    end: () => next.end(),
  });
}

/** A body evaluated on demand: each `pull` runs its first top-level loop until `n` more values are out. */
export interface LazyBody {
  pull(n: number): unknown[];
  readonly done: boolean;
}

/**
 * Compiles a body for streaming cursors: statements before the first top-level FOR (only LET and FILTER)
 * run once, then that loop advances one source row at a time, so a batch costs what it returns.
 * Bodies of other shapes answer undefined. The caller keeps data-modification queries eager.
 */
export function compileLazy(body: Statement[], ctx: ExecContext): ((outer: Frame) => LazyBody) | undefined {
  const kept = body.filter((s) => !ctx.access.removed.has(s));
  const at = kept.findIndex((s) => s.kind === 'for');
  const loop = kept[at];
  if (loop?.kind !== 'for') return undefined;
  if (kept.slice(0, at).some((s) => s.kind !== 'let' && s.kind !== 'filter')) return undefined;
  const prefix = kept.slice(0, at).map((s, i) => compileStatement(s, ctx, kept[i + 1]));
  const rest = kept.slice(at + 1).map((s, i) => compileStatement(s, ctx, kept[at + i + 2]));
  const source = loopSource(loop, ctx);
  const id = loop.variable.id;
  return (outer) => {
    const run: Run = { result: [], initial: outer };
    let downstream: Sink = { push: () => true, end: () => {} };
    for (let i = rest.length - 1; i >= 0; i--) downstream = (rest[i] as Stage)(downstream, run);
    let frame: Frame | undefined;
    let head: Sink = {
      push(f) {
        frame = f;
        return true;
      },
      end: () => {},
    };
    for (let i = prefix.length - 1; i >= 0; i--) head = (prefix[i] as Stage)(head, run);
    head.push(outer);
    head.end();
    const it = frame && source(frame);
    let done = false;
    const finish = (): void => {
      done = true;
      downstream.end();
    };
    if (!it) finish();
    return {
      get done() {
        return done && run.result.length === 0;
      },
      pull(n) {
        while (!done && run.result.length < n) {
          const r = (it as Iterator<unknown>).next();
          if (r.done) finish();
          else {
            (frame as Frame)[id] = r.value;
            if (!downstream.push(frame as Frame)) finish();
          }
        }
        if (run.result.length <= n) {
          const out = run.result;
          run.result = [];
          return out;
        }
        return run.result.splice(0, n);
      },
    };
  };
}

function sortStage(
  keys: { key: Compiled; dir: number }[],
  ctx: ExecContext,
  limit: number | undefined,
): Stage {
  const order = (x: { k: unknown[] }, y: { k: unknown[] }) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compare(x.k[i], y.k[i]);
      if (c !== 0) return c * (keys[i] as { dir: number }).dir;
    }
    return 0;
  };
  return (next) => {
    const rows: { k: unknown[]; f: Frame }[] = [];
    return {
      push(f) {
        const row = { k: keys.map((k) => k.key(f)), f };
        if (limit === undefined) {
          row.f = f.slice();
          rows.push(row);
          ctx.charge(ROW_BYTES);
          return true;
        }
        // Constrained heap: keep the best `limit` rows in order; equal keys keep arrival order.
        let lo = 0;
        let hi = rows.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (order(rows[mid] as { k: unknown[] }, row) <= 0) lo = mid + 1;
          else hi = mid;
        }
        if (lo >= limit) return true;
        row.f = f.slice();
        rows.splice(lo, 0, row);
        if (rows.length > limit) rows.pop();
        else ctx.charge(ROW_BYTES);
        return true;
      },
      end() {
        if (limit === undefined) rows.sort(order);
        for (const r of rows) if (!next.push(r.f)) break;
        ctx.release(rows.length * ROW_BYTES);
        next.end();
      },
    };
  };
}

function limitStage(s: Statement & { kind: 'limit' }, ctx: ExecContext): Stage {
  const offset = constant(s.offset, ctx);
  const count = constant(s.count, ctx);
  const countsFull = ctx.fullCountLimit === s;
  return (next) => {
    let seen = 0;
    return {
      push(f) {
        seen++;
        if (countsFull) ctx.fullCount = seen;
        if (seen <= offset) return true;
        if (seen > offset + count) return countsFull;
        const more = next.push(f);
        return (more && seen < offset + count) || countsFull;
      },
      end: () => next.end(),
    };
  };
}

function constant(e: Expr, ctx: ExecContext): number {
  const v = compileExpr(e, ctx)([]);
  if (typeof v !== 'number' || v < 0 || !Number.isFinite(v)) {
    throw new SimError(400, ERR.numberOutOfRange, 'number out of range');
  }
  return Math.trunc(v);
}

function returnStage(stmt: Statement, expr: Compiled, distinct: boolean, ctx: ExecContext): Stage {
  const track = ctx.memoryLimit !== undefined;
  const profile = ctx.profile;
  return (_next, run) => {
    const seen = distinct ? new Set<unknown>() : undefined;
    const seenObjects: unknown[] = [];
    return {
      push(f) {
        const v = expr(f);
        if (seen) {
          if (typeof v === 'object' && v !== null) {
            if (seenObjects.some((o) => equals(o, v))) return true;
            seenObjects.push(v);
          } else {
            if (seen.has(v)) return true;
            seen.add(v);
          }
        }
        if (track) ctx.charge(sizeOf(v));
        run.result.push(v);
        if (profile) profile.set(stmt, (profile.get(stmt) ?? 0) + 1);
        return true;
      },
      end: () => {},
    };
  };
}
