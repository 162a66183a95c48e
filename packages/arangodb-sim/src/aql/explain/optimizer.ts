/** The optimizer rules the simulator applies to a numbered plan, each as ArangoDB names it. */
import type { Expr, Statement, Variable } from '../ast.js';
import { exprChildren } from '../index-selection.js';
import type { PlanGraph, PlanNode } from './plan-graph.js';

/** ArangoDB's default `maxProjections`. */
const MAX_PROJECTIONS = 5;

/** Nodes a calculation may sink below when they do not read its result. */
const SINKABLE_PAST = new Set(['LimitNode', 'FilterNode', 'SortNode']);

/** True if `varId` is read only as `var.attr`; collects the attribute names. */
function attributeUsesOnly(e: Expr, varId: number, paths: Set<string>): boolean {
  if (e.kind === 'attr' && e.object.kind === 'ref' && e.object.variable.id === varId) {
    paths.add(e.name);
    return true;
  }
  if (e.kind === 'ref') return e.variable.id !== varId;
  return exprChildren(e).every((c) => attributeUsesOnly(c, varId, paths));
}

/** Loops a loop-invariant calculation may be hoisted above. */
const MOVABLE_PAST = new Set(['EnumerateCollectionNode', 'EnumerateListNode', 'IndexNode']);

/** Variables a loop node writes (its statement's loop variable). */
function definedBy(node: PlanNode): number[] {
  const s = node.statement;
  return s?.kind === 'for' ? [s.variable.id] : [];
}

export function removeUnusedCalculations(g: PlanGraph, afterIndexSelection: boolean): void {
  for (;;) {
    const used = new Set(g.nodes.flatMap((n) => n.uses));
    const idx = g.nodes.findIndex(
      (n) => n.type === 'CalculationNode' && n.defines !== undefined && !used.has(n.defines),
    );
    if (idx < 0) return;
    g.nodes.splice(idx, 1);
    g.rules.add(
      afterIndexSelection ? 'remove-unnecessary-calculations-2' : 'remove-unnecessary-calculations',
    );
  }
}

/**
 * move-calculations-up: a calculation that does not depend on a loop is hoisted above it, stopping at
 * the singleton, another calculation or any non-loop node, or the loop defining a variable it reads.
 */
export function moveCalculationsUp(g: PlanGraph): void {
  for (let i = 1; i < g.nodes.length; i++) {
    const node = g.nodes[i] as PlanNode;
    if (node.type !== 'CalculationNode') continue;
    let at = i;
    while (at > 1) {
      const dep = g.nodes[at - 1] as PlanNode;
      if (!MOVABLE_PAST.has(dep.type)) break;
      const defined = [dep.defines, ...definedBy(dep)];
      if (node.uses.some((u) => defined.includes(u))) break;
      at--;
    }
    if (at < i) {
      g.nodes.splice(i, 1);
      g.nodes.splice(at, 0, node);
      g.rules.add('move-calculations-up');
    }
  }
}

/** move-calculations-down: a calculation sinks below LIMIT/FILTER/SORT nodes that do not read its result. */
export function moveCalculationsDown(g: PlanGraph): void {
  for (let i = g.nodes.length - 2; i >= 1; i--) {
    const node = g.nodes[i] as PlanNode;
    if (node.type !== 'CalculationNode' || node.defines === undefined) continue;
    let at = i;
    for (;;) {
      const next = g.nodes[at + 1];
      if (!next || !SINKABLE_PAST.has(next.type) || next.uses.includes(node.defines)) break;
      at++;
    }
    if (at > i) {
      g.nodes.splice(i, 1);
      g.nodes.splice(at, 0, node);
      g.rules.add('move-calculations-down');
    }
  }
}

/**
 * reduce-extraction-to-projection: a loop whose document is only read through `doc.attr` extracts just
 * those attributes. 3.12 (optimize-projections) also writes `LET x = doc.attr` straight from the index or
 * scan into a new variable and drops the calculation.
 */
export function projections(g: PlanGraph): void {
  for (const node of [...g.nodes]) {
    if (node.type !== 'EnumerateCollectionNode' && node.type !== 'IndexNode') continue;
    const loopVar = (node.statement as Statement & { kind: 'for' }).variable;
    const paths = new Set<string>();
    let projectable = true;
    for (const other of g.nodes) {
      if (other === node || !other.uses.includes(loopVar.id)) continue;
      if (
        other.type !== 'CalculationNode' ||
        !other.expr ||
        !attributeUsesOnly(other.expr, loopVar.id, paths)
      ) {
        projectable = false;
        break;
      }
    }
    if (!projectable || paths.size === 0 || paths.size > MAX_PROJECTIONS) continue;
    g.fullDocVars.delete(loopVar.id);
    node.body.outVariable = g.varJson(loopVar);
    g.rules.add('reduce-extraction-to-projection');
    if (g.is311) {
      node.body.projections = [...paths];
      continue;
    }
    node.body.projections = [...paths].map((path) => {
      const calc = g.nodes.find(
        (n) =>
          n.type === 'CalculationNode' &&
          n.expr?.kind === 'attr' &&
          n.expr.name === path &&
          n.expr.object.kind === 'ref' &&
          n.expr.object.variable.id === loopVar.id,
      );
      if (!calc || calc.defines === undefined) return { path: [path] };
      const out = g.temp();
      renameVariable(g, calc.defines, out);
      g.nodes.splice(g.nodes.indexOf(calc), 1);
      g.rules.add('optimize-projections');
      g.rules.add('remove-unnecessary-calculations-4');
      return { path: [path], variable: g.varJson(out) };
    });
  }
}

/** Points every node that read `from` at `to`. */
function renameVariable(g: PlanGraph, from: number, to: Variable): void {
  const replacement = g.varJson(to);
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    if (o.id === from && 'isFullDocumentFromCollection' in o) return replacement;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, rewrite(x)]));
  };
  for (const n of g.nodes) {
    if (!n.uses.includes(from)) continue;
    n.uses = n.uses.map((u) => (u === from ? to.id : u));
    n.body = rewrite(n.body) as Record<string, unknown>;
  }
}
