import type { StoredDoc } from '../aql/host.js';
import { SimError } from '../aql/host.js';
import { assertReachable } from '../cluster/availability.js';
import { json } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { shapeStats } from './cursor.js';

/** GET /_api/edges/<collection>?vertex=<id>&direction=in|out|any: the edge index, as a query would use it. */
export function edgeRoutes(r: Router): void {
  r.on('GET', '/_api/edges/:coll', (ctx, p) => {
    ctx.assertReadable(p.coll);
    const c = ctx.db.require(p.coll as string);
    if (c.props.type !== 3) throw new SimError(400, 1218, 'collection type invalid');
    // Edges of a vertex may sit in any shard (they are sharded by their own key).
    assertReachable(ctx.server, c.props.sharding);
    const vertex = ctx.query.vertex;
    if (!vertex) throw new SimError(400, 400, 'illegal document handle');
    const direction = ctx.query.direction ?? 'any';
    const edges: StoredDoc[] = [];
    let cursors = 0;
    if (direction === 'out' || direction === 'any') {
      edges.push(...c.edges(vertex, 'outbound'));
      cursors += 1;
    }
    if (direction === 'in' || direction === 'any') {
      edges.push(...c.edges(vertex, 'inbound'));
      cursors += 1;
    }
    const stats = shapeStats(
      ctx.server.version,
      {
        documentLookups: edges.length,
        scannedIndex: edges.length,
        cursorsCreated: cursors,
        cacheMisses: cursors,
      },
      undefined,
      undefined,
    );
    return json({ edges, error: false, code: 200, stats });
  });
}
