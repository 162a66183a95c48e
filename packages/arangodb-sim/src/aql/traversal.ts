/**
 * Graph traversal `FOR v, e, p IN min..max OUTBOUND|INBOUND|ANY start edges | GRAPH 'g'`.
 * Depth-first by default (pre-order, as ArangoDB's DFS enumerator emits), breadth-first with
 * `OPTIONS {order: 'bfs'}` or `{bfs: true}`. Default uniqueness: vertices none, edges path.
 */
import type { Direction, Statement } from './ast.js';
import { ERR } from './errors.js';
import type { ExecContext } from './evaluate/context.js';
import { compileExpr } from './evaluate/expression.js';
import { collectionOf } from './evaluate/modify.js';
import type { Stage } from './evaluate/pipeline.js';
import { isObject, toNumber, toStr } from './evaluate/values.js';
import { type HostCollection, SimError, type StoredDoc } from './host.js';

type TraversalStatement = Statement & { kind: 'traversal' };

interface Step {
  vertexId: string;
  vertex: StoredDoc | null;
  edges: StoredDoc[];
  vertices: (StoredDoc | null)[];
}

interface Options {
  bfs: boolean;
  uniqueVertices: 'none' | 'path' | 'global';
  uniqueEdges: 'none' | 'path';
}

function readOptions(v: unknown): Options {
  const o = isObject(v) ? v : {};
  const bfs = o.bfs === true || o.order === 'bfs';
  const uv = o.uniqueVertices === 'path' || o.uniqueVertices === 'global' ? o.uniqueVertices : 'none';
  return { bfs, uniqueVertices: uv, uniqueEdges: o.uniqueEdges === 'none' ? 'none' : 'path' };
}

export function traversalStage(s: TraversalStatement, ctx: ExecContext): Stage {
  const options = readOptions(s.options ? compileExpr(s.options, ctx)([]) : {});
  const minDepth = compileExpr(s.minDepth, ctx);
  const maxDepth = compileExpr(s.maxDepth, ctx);
  const start = compileExpr(s.start, ctx);
  const edgeColls = resolveEdgeCollections(s, ctx);
  const vertexId = s.vertex.id;
  const edgeId = s.edge?.id;
  const pathId = s.path?.id;

  const lookupVertex = (id: string): StoredDoc | null => {
    const slash = id.indexOf('/');
    if (slash < 0) return null;
    ctx.stats.documentLookups++;
    return ctx.host.collection(id.slice(0, slash))?.get(id.slice(slash + 1)) ?? null;
  };

  const neighbours = (id: string): { edge: StoredDoc; to: string }[] => {
    const out: { edge: StoredDoc; to: string }[] = [];
    for (const { coll, direction } of edgeColls) {
      if (direction !== 'inbound') {
        for (const e of coll.edges(id, 'outbound')) out.push({ edge: e, to: toStr(e._to) });
      }
      if (direction !== 'outbound') {
        for (const e of coll.edges(id, 'inbound')) out.push({ edge: e, to: toStr(e._from) });
      }
    }
    ctx.stats.scannedIndex += out.length;
    return out;
  };

  return (next) => ({
    push(f) {
      const raw = start(f);
      const id = isObject(raw) ? raw._id : raw;
      if (typeof id !== 'string' || !id.includes('/')) {
        ctx.warn(
          ERR.badParameter,
          'Invalid input for traversal: Only id strings or objects with _id are allowed',
        );
        return true;
      }
      const min = Math.max(0, Math.trunc(toNumber(minDepth(f))));
      const max = Math.trunc(toNumber(maxDepth(f)));
      const origin = lookupVertex(id);
      const emit = (step: Step): boolean => {
        f[vertexId] = step.vertex;
        if (edgeId !== undefined) f[edgeId] = step.edges[step.edges.length - 1] ?? null;
        if (pathId !== undefined) f[pathId] = { edges: [...step.edges], vertices: [...step.vertices] };
        return next.push(f);
      };
      const first: Step = { vertexId: id, vertex: origin, edges: [], vertices: [origin] };
      const visited = new Set<string>([id]);
      const allowed = (step: Step, nb: { edge: StoredDoc; to: string }, pathIds: string[]): boolean => {
        if (options.uniqueEdges === 'path' && step.edges.includes(nb.edge)) return false;
        if (options.uniqueVertices === 'path' && pathIds.includes(nb.to)) return false;
        if (options.uniqueVertices === 'global') {
          if (visited.has(nb.to)) return false;
          visited.add(nb.to);
        }
        return true;
      };
      const extend = (step: Step, nb: { edge: StoredDoc; to: string }): Step => {
        const vertex = lookupVertex(nb.to);
        return {
          vertexId: nb.to,
          vertex,
          edges: [...step.edges, nb.edge],
          vertices: [...step.vertices, vertex],
        };
      };

      if (options.bfs) {
        let level: { step: Step; ids: string[] }[] = [{ step: first, ids: [id] }];
        for (let depth = 0; depth <= max && level.length > 0; depth++) {
          for (const { step } of level) if (depth >= min && !emit(step)) return false;
          if (depth === max) break;
          const nextLevel: { step: Step; ids: string[] }[] = [];
          for (const { step, ids } of level) {
            for (const nb of neighbours(step.vertexId)) {
              if (allowed(step, nb, ids)) nextLevel.push({ step: extend(step, nb), ids: [...ids, nb.to] });
            }
          }
          level = nextLevel;
        }
        return true;
      }

      const dfs = (step: Step, ids: string[], depth: number): boolean => {
        if (depth >= min && !emit(step)) return false;
        if (depth === max) return true;
        for (const nb of neighbours(step.vertexId)) {
          if (!allowed(step, nb, ids)) continue;
          if (!dfs(extend(step, nb), [...ids, nb.to], depth + 1)) return false;
        }
        return true;
      };
      return dfs(first, [id], 0);
    },
    end: () => next.end(),
  });
}

function resolveEdgeCollections(
  s: TraversalStatement,
  ctx: ExecContext,
): { coll: HostCollection; direction: Direction }[] {
  if (s.graph) {
    const name = toStr(compileExpr(s.graph, ctx)([]));
    const graph = ctx.host.graph(name);
    if (!graph) throw new SimError(404, ERR.graphNotFound, `graph '${name}' not found`);
    return graph.edgeCollections.map((c) => ({ coll: ctx.collection(c), direction: s.direction }));
  }
  return s.edgeCollections.map((ec) => ({
    coll: ctx.collection(collectionOf(ec.collection, ctx)),
    direction: ec.direction ?? s.direction,
  }));
}
