/**
 * The simulator's optimizer for collection access: picks the index ArangoDB's optimizer would pick for
 * simple FILTER and SORT shapes, and records which FILTER/SORT statements the index makes redundant.
 * Execution and explain both read this plan, so what explain shows is what execution does.
 */
import type { Expr, Statement, Variable } from './ast.js';
import { ERR } from './errors.js';
import { type HostCollection, type HostIndex, SimError } from './host.js';

export type IndexOp = '==' | 'in' | '<' | '<=' | '>' | '>=';

export interface IndexCondition {
  /** Attribute path on the loop variable, e.g. ['a', 'b'] for `doc.a.b`. */
  path: string[];
  op: IndexOp;
  value: Expr;
  /** The FILTER conjunct this condition came from (normalized so the attribute is on the left). */
  source: Expr;
}

export interface IndexChoice {
  index: HostIndex;
  conditions: IndexCondition[];
  /** Set when the index order replaces a SORT. */
  ascending: boolean;
  sorted: boolean;
  /** Attribute paths of the SORT the index order replaces. */
  sortPaths?: string[][];
}

export interface AccessPlan {
  choices: Map<Statement, IndexChoice>;
  /** FILTER statements fully covered by an index and SORT statements satisfied by index order. */
  removed: Set<Statement>;
}

/** What the planner needs to know about a FOR source collection. */
export type CollectionLookup = (stmt: Statement & { kind: 'for' }) => HostCollection | undefined;

const FLIP: Record<string, IndexOp> = { '==': '==', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const PERSISTENT_TYPES = new Set(['persistent', 'hash', 'skiplist']);

export function planAccess(
  body: Statement[],
  lookup: CollectionLookup,
  bindVars: Record<string, unknown>,
): AccessPlan {
  const plan: AccessPlan = { choices: new Map(), removed: new Set() };
  planBody(body, lookup, bindVars, plan);
  return plan;
}

function planBody(
  body: Statement[],
  lookup: CollectionLookup,
  bindVars: Record<string, unknown>,
  plan: AccessPlan,
) {
  for (const s of body) forEachSubquery(s, (sub) => planBody(sub, lookup, bindVars, plan));
  body.forEach((stmt, i) => {
    if (stmt.kind !== 'for') return;
    const coll = lookup(stmt);
    if (!coll) return;
    planLoop(body, i, stmt, coll, bindVars, plan);
    const hint = indexHint(stmt, bindVars);
    const chosen = plan.choices.get(stmt)?.index.name;
    if (hint.forced && hint.names.length > 0 && !(chosen && hint.names.includes(chosen))) {
      throw new SimError(400, ERR.forcedIndexHintUnusable, 'could not use forced index hint');
    }
  });
}

function planLoop(
  body: Statement[],
  i: number,
  stmt: Statement & { kind: 'for' },
  coll: HostCollection,
  bindVars: Record<string, unknown>,
  plan: AccessPlan,
) {
  const loopVar = stmt.variable;
  /** Variables whose value varies per document of this loop (the loop variable and LETs after it). */
  const inner = new Set<number>([loopVar.id]);
  const aliases = new Map<number, string[]>();
  const filters: { stmt: Statement; conjuncts: Expr[] }[] = [];
  let sort: (Statement & { kind: 'sort' }) | undefined;
  for (let j = i + 1; j < body.length; j++) {
    const s = body[j] as Statement;
    if (s.kind === 'let') {
      const path = attributePath(s.expr, loopVar, aliases);
      if (path) aliases.set(s.variable.id, path);
      inner.add(s.variable.id);
    } else if (s.kind === 'filter') {
      filters.push({ stmt: s, conjuncts: splitAnd(s.expr) });
    } else {
      if (s.kind === 'sort') sort = s;
      break;
    }
  }

  const conditions: IndexCondition[] = [];
  for (const f of filters) {
    for (const c of f.conjuncts) {
      const cond = toCondition(c, loopVar, aliases, inner);
      if (cond) conditions.push(cond);
    }
  }

  const indexes = coll.indexes();
  const hint = indexHint(stmt, bindVars);
  let best: { score: number; choice: IndexChoice } | undefined;
  for (const [order, index] of indexes.entries()) {
    const used = matchIndex(index, conditions, bindVars);
    if (!used) continue;
    const eqFields = new Set(used.filter((u) => u.op === '==' || u.op === 'in').map((u) => u.path.join('.')));
    const fullUniqueEq = index.unique && index.fields.every((f) => eqFields.has(f));
    // An indexHint wins over the cost estimate whenever the hinted index can serve the condition.
    const hinted = hint.names.indexOf(index.name);
    const score =
      (hinted >= 0 ? 100_000 - hinted : 0) +
      (fullUniqueEq ? 1000 : 0) +
      eqFields.size * 10 +
      (used.length > eqFields.size ? 5 : 0) -
      order / 100;
    if (!best || score > best.score)
      best = { score, choice: { index, conditions: used, ascending: true, sorted: false } };
  }

  if (best) {
    plan.choices.set(stmt, best.choice);
    const usedSources = new Set(best.choice.conditions.map((c) => c.source));
    for (const f of filters) {
      if (f.conjuncts.every((c) => usedSources.has(c))) {
        plan.removed.add(f.stmt);
      }
    }
    if (sort && sortMatches(sort, best.choice, loopVar, aliases)) {
      best.choice.sorted = true;
      best.choice.sortPaths = sortPaths(sort, loopVar, aliases);
      best.choice.ascending = sort.elements[0]?.ascending ?? true;
      plan.removed.add(sort);
    }
    return;
  }

  if (!sort) return;
  for (const index of indexes) {
    if (index.sparse || !(PERSISTENT_TYPES.has(index.type) || index.type === 'primary')) continue;
    const choice: IndexChoice = { index, conditions: [], ascending: true, sorted: true };
    if (sortMatches(sort, choice, loopVar, aliases)) {
      choice.ascending = sort.elements[0]?.ascending ?? true;
      choice.sortPaths = sortPaths(sort, loopVar, aliases);
      plan.choices.set(stmt, choice);
      plan.removed.add(sort);
      return;
    }
  }
}

/** The index conditions an index can serve, or undefined if it cannot be used. */
function matchIndex(
  index: HostIndex,
  conditions: IndexCondition[],
  bindVars: Record<string, unknown>,
): IndexCondition[] | undefined {
  const on = (field: string) => conditions.filter((c) => c.path.join('.') === field);
  if (index.type === 'primary') {
    const used = [...on('_key'), ...on('_id').filter((c) => c.op === '==' || c.op === 'in')];
    return used.length > 0 ? used : undefined;
  }
  if (index.type === 'edge') {
    const field = index.fields.find((f) => on(f).some((c) => c.op === '==' || c.op === 'in'));
    if (field === undefined) return undefined;
    const c = on(field).find((x) => x.op === '==' || x.op === 'in') as IndexCondition;
    return [c];
  }
  if (!PERSISTENT_TYPES.has(index.type) || index.fields.some((f) => f.includes('[*]'))) return undefined;
  const used: IndexCondition[] = [];
  for (const field of index.fields) {
    const cs = on(field);
    const eq = cs.find((c) => c.op === '==' || c.op === 'in');
    if (eq) {
      used.push(eq);
      continue;
    }
    const ranges = cs.filter((c) => c.op !== '==' && c.op !== 'in');
    used.push(...ranges);
    break;
  }
  if (used.length === 0) return undefined;
  if (index.sparse) {
    // A sparse index lacks documents with null in any indexed field, so every field must exclude null.
    for (const field of index.fields) {
      if (!used.some((c) => c.path.join('.') === field && excludesNull(c, bindVars))) return undefined;
    }
  }
  return used;
}

function excludesNull(c: IndexCondition, bindVars: Record<string, unknown>): boolean {
  if (c.op === '>') return true;
  if (c.op === '<' || c.op === '<=') return false;
  const v = constantValue(c.value, bindVars);
  if (!v.known) return false;
  if (c.op === 'in') return Array.isArray(v.value) && !v.value.some((x) => x === null);
  return v.value !== null;
}

/** `FOR … OPTIONS { indexHint: 'name' | ['a', 'b'], forceIndexHint: true }`. */
function indexHint(stmt: Statement & { kind: 'for' }, bindVars: Record<string, unknown>) {
  const options = stmt.options ? constantValue(stmt.options, bindVars) : { known: false };
  const o = options.known && typeof options.value === 'object' && options.value !== null ? options.value : {};
  const raw = (o as Record<string, unknown>).indexHint;
  const names = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (n): n is string => typeof n === 'string',
  );
  return { names, forced: (o as Record<string, unknown>).forceIndexHint === true };
}

export function constantValue(
  e: Expr,
  bindVars: Record<string, unknown>,
): { known: boolean; value?: unknown } {
  if (e.kind === 'value') return { known: true, value: e.value };
  if (e.kind === 'param' && !e.name.startsWith('@')) return { known: true, value: bindVars[e.name] ?? null };
  if (e.kind === 'array') {
    const items = e.items.map((x) => constantValue(x, bindVars));
    if (items.every((x) => x.known)) return { known: true, value: items.map((x) => x.value) };
  }
  if (e.kind === 'object' && e.entries.every((en) => typeof en.key === 'string')) {
    const entries = e.entries.map((en) => [en.key as string, constantValue(en.value, bindVars)] as const);
    if (entries.every(([, v]) => v.known)) {
      return { known: true, value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])) };
    }
  }
  return { known: false };
}

function sortMatches(
  sort: Statement & { kind: 'sort' },
  choice: IndexChoice,
  loopVar: Variable,
  aliases: Map<number, string[]>,
): boolean {
  const asc = sort.elements[0]?.ascending;
  if (sort.elements.some((e) => e.ascending !== asc)) return false;
  if (choice.index.type === 'edge') return false;
  const fields = choice.index.type === 'primary' ? ['_key'] : choice.index.fields;
  const eq = new Set(choice.conditions.filter((c) => c.op === '==').map((c) => c.path.join('.')));
  let p = 0;
  for (const el of sort.elements) {
    const path = attributePath(el.expr, loopVar, aliases);
    if (!path) return false;
    const key = path.join('.');
    while (p < fields.length && fields[p] !== key && eq.has(fields[p] as string)) p++;
    if (fields[p] === key) p++;
    else if (!eq.has(key)) return false;
  }
  return true;
}

function sortPaths(
  sort: Statement & { kind: 'sort' },
  loopVar: Variable,
  aliases: Map<number, string[]>,
): string[][] {
  return sort.elements.map((el) => attributePath(el.expr, loopVar, aliases) ?? []);
}

function toCondition(
  c: Expr,
  loopVar: Variable,
  aliases: Map<number, string[]>,
  inner: Set<number>,
): IndexCondition | undefined {
  if (c.kind !== 'binary') return undefined;
  const op = c.op;
  if (op === '||') return equalityAlternatives(c, loopVar, aliases, inner);
  if (op !== '==' && op !== 'in' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return undefined;
  const left = attributePath(c.left, loopVar, aliases);
  if (left && isInvariant(c.right, inner)) return { path: left, op, value: c.right, source: c };
  if (op === 'in') return undefined;
  const right = attributePath(c.right, loopVar, aliases);
  if (right && isInvariant(c.left, inner)) {
    return { path: right, op: FLIP[op] as IndexOp, value: c.left, source: c };
  }
  return undefined;
}

/** `v.a == 1 || v.a == 2` is served like `v.a IN [1, 2]`, as ArangoDB's condition normalization does. */
function equalityAlternatives(
  c: Expr,
  loopVar: Variable,
  aliases: Map<number, string[]>,
  inner: Set<number>,
): IndexCondition | undefined {
  const branches = splitOr(c).map((b) => toCondition(b, loopVar, aliases, inner));
  const first = branches[0];
  if (!first) return undefined;
  const key = first.path.join('.');
  if (!branches.every((b) => b?.op === '==' && b.path.join('.') === key)) return undefined;
  const items = branches.map((b) => (b as IndexCondition).value);
  return { path: first.path, op: 'in', value: { kind: 'array', items }, source: c };
}

function splitOr(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === '||') return [...splitOr(e.left), ...splitOr(e.right)];
  return [e];
}

/** `v.a.b` (or an alias `LET x = v.a`, then `x.b`) → ['a', 'b']. */
export function attributePath(
  e: Expr,
  loopVar: Variable,
  aliases: Map<number, string[]>,
): string[] | undefined {
  const names: string[] = [];
  let cur = e;
  while (
    cur.kind === 'attr' ||
    (cur.kind === 'index' && cur.index.kind === 'value' && typeof cur.index.value === 'string')
  ) {
    if (cur.kind === 'attr') {
      names.unshift(cur.name);
      cur = cur.object;
    } else {
      names.unshift((cur.index as { value: string }).value);
      cur = cur.object;
    }
  }
  if (cur.kind !== 'ref') return undefined;
  if (cur.variable.id === loopVar.id) return names.length > 0 ? names : undefined;
  const alias = aliases.get(cur.variable.id);
  return alias ? [...alias, ...names] : undefined;
}

export function splitAnd(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === '&&') return [...splitAnd(e.left), ...splitAnd(e.right)];
  return [e];
}

function isInvariant(e: Expr, inner: Set<number>): boolean {
  let ok = true;
  visitExpr(e, (x) => {
    if (x.kind === 'ref' && inner.has(x.variable.id)) ok = false;
    if (x.kind === 'subquery' || x.kind === 'collection') ok = false;
  });
  return ok;
}

export function visitExpr(e: Expr, fn: (e: Expr) => void): void {
  fn(e);
  for (const c of exprChildren(e)) visitExpr(c, fn);
}

/** Direct sub-expressions; subquery bodies are statements and are not included. */
export function exprChildren(e: Expr): Expr[] {
  switch (e.kind) {
    case 'array':
      return e.items;
    case 'object':
      return e.entries.flatMap((en) => (typeof en.key === 'string' ? [en.value] : [en.key, en.value]));
    case 'attr':
      return [e.object];
    case 'index':
      return [e.object, e.index];
    case 'expand':
      return [
        e.source,
        ...(e.filter ? [e.filter] : []),
        ...(e.limit ? [e.limit.offset, e.limit.count] : []),
        e.map,
      ];
    case 'call':
      return e.args;
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'ternary':
      return [e.condition, ...(e.whenTrue ? [e.whenTrue] : []), e.otherwise];
    case 'range':
      return [e.from, e.to];
    default:
      return [];
  }
}

/** Every expression a statement evaluates. */
export function statementExprs(s: Statement): Expr[] {
  switch (s.kind) {
    case 'for':
      return [s.source];
    case 'traversal':
      return [s.minDepth, s.maxDepth, s.start, ...(s.graph ? [s.graph] : [])];
    case 'let':
    case 'filter':
    case 'return':
      return [s.expr];
    case 'sort':
      return s.elements.map((e) => e.expr);
    case 'limit':
      return [s.offset, s.count];
    case 'collect':
      return [
        ...s.groups.map((g) => g.expr),
        ...s.aggregates.map((a) => a.arg),
        ...(s.into?.expr ? [s.into.expr] : []),
      ];
    case 'modify':
      return s.key ? [s.key, s.doc] : [s.doc];
    case 'upsert':
      return [s.search, s.insert, s.update];
  }
}

function forEachSubquery(s: Statement, fn: (body: Statement[]) => void): void {
  for (const e of statementExprs(s)) {
    visitExpr(e, (x) => {
      if (x.kind === 'subquery') fn(x.body);
    });
  }
}
