import { createHash } from 'node:crypto';
import { SimError } from '../aql/host.js';
import { assertReachable, responsibleShardIndex, shardServers } from '../cluster/availability.js';
import type { Ctx } from '../http/context.js';
import { ok } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { Collection } from '../storage/collection.js';
import { isValidCollectionName } from '../storage/database.js';
import { errors } from '../storage/errors.js';
import { systemIndexes } from '../storage/indexes.js';
import { SchemaValidator } from '../storage/validation.js';
import {
  collectionListEntry,
  collectionProperties,
  collectionRevision,
  collectionShort,
} from './describe.js';

function checksum(c: Collection, withRevisions: boolean, withData: boolean): string {
  let acc = 0n;
  for (const doc of c.docs.values()) {
    const h = createHash('sha1');
    h.update(doc._key);
    if (withRevisions) h.update(doc._rev);
    if (withData) {
      const { _key, _id, _rev, ...rest } = doc;
      h.update(JSON.stringify(rest));
    }
    acc ^= h.digest().readBigUInt64BE(0);
  }
  return acc.toString();
}

function figures(c: Collection, details: boolean): Record<string, unknown> {
  const indexCount = systemIndexes(c.name, c.props.type === 3).length + c.userIndexes.length;
  const f: Record<string, unknown> = {
    indexes: { count: indexCount, size: c.count() * 48 },
    documentsSize: c.approximateBytes(),
    cacheInUse: false,
    cacheSize: 0,
    cacheUsage: 0,
  };
  if (details) {
    f.engine = {
      documents: c.count(),
      indexes: [
        ...systemIndexes(c.name, c.props.type === 3).map((i) => ({
          type: i.type,
          id: Number(String(i.id).split('/')[1]),
          count: c.count(),
        })),
        ...c.userIndexes.map((r) => ({ type: r.props.type, id: Number(r.id), count: c.count() })),
      ],
    };
  }
  return f;
}

function withLocation(ctx: Ctx, name: string, sub: string): Record<string, string> {
  return { location: ctx.location(`/_api/collection/${name}/${sub}`) };
}

export function collectionRoutes(r: Router): void {
  r.on('GET', '/_api/collection', (ctx) => {
    ctx.assertReadable();
    const exclude = ctx.flag('excludeSystem');
    const result = [...ctx.db.collections.values()]
      .filter((c) => !(exclude && c.props.isSystem))
      .map((c) => collectionListEntry(ctx.server, ctx.db, c));
    return ok({ result });
  });

  r.on('POST', '/_api/collection', (ctx) => {
    ctx.server.assertAdmin(ctx);
    const body = ctx.object();
    const db = ctx.db;
    if (!isValidCollectionName(body.name, body.isSystem === true)) throw errors.illegalName();
    if (db.collections.has(body.name) || db.views.has(body.name)) throw errors.duplicateName(body.name);
    const props = ctx.server.collectionProps(body, db.options);
    if (props.sharding?.distributeShardsLike && !db.collections.has(props.sharding.distributeShardsLike)) {
      // ERROR_CLUSTER_UNKNOWN_DISTRIBUTESHARDSLIKE (notes/schema.md §4).
      throw new SimError(
        500,
        1486,
        'must not have a distributeShardsLike attribute pointing to an unknown collection',
      );
    }
    const proto = props.sharding?.distributeShardsLike
      ? db.collections.get(props.sharding.distributeShardsLike)
      : undefined;
    if (props.sharding && proto?.props.sharding) {
      // A follower shares the prototype's shard layout (collections.md, distributeShardsLike).
      const p = proto.props.sharding;
      Object.assign(props.sharding, {
        numberOfShards: p.numberOfShards,
        replicationFactor: p.replicationFactor,
        writeConcern: p.writeConcern,
        shards: p.shards.map(() => `s${ctx.server.ids.tick()}`),
      });
    }
    const c = db.addCollection(props);
    return ok(collectionProperties(ctx.server, db, c));
  });

  r.on('GET', '/_api/collection/:name', (ctx, p) => {
    ctx.assertReadable(p.name);
    const c = ctx.db.require(p.name as string);
    const { globallyUniqueId, isSystem, status, type, name, id } = collectionShort(ctx.server, ctx.db, c);
    return ok({ id, name, status, type, isSystem, globallyUniqueId });
  });

  r.on('GET', '/_api/collection/:name/:sub', (ctx, p) => {
    const name = p.name as string;
    ctx.assertReadable(name);
    const db = ctx.db;
    const c = db.require(name);
    const inst = ctx.server;
    const headers = withLocation(ctx, name, p.sub as string);
    // Counts, figures and checksums are gathered from every shard's leader.
    if (p.sub === 'count' || p.sub === 'figures' || p.sub === 'checksum')
      assertReachable(inst, c.props.sharding);
    switch (p.sub) {
      case 'properties':
        return ok(collectionProperties(inst, db, c), 200, headers);
      case 'count':
        return ok(collectionProperties(inst, db, c, { count: c.count() }), 200, headers);
      case 'figures':
        return ok(
          collectionProperties(inst, db, c, { count: c.count(), figures: figures(c, ctx.flag('details')) }),
          200,
          headers,
        );
      case 'revision':
        return ok(collectionRevision(inst, db, c), 200, headers);
      case 'checksum': {
        const short = collectionShort(inst, db, c);
        return ok(
          {
            isSystem: short.isSystem,
            status: 3,
            type: short.type,
            name: c.name,
            id: c.id,
            revision: c.lastRev,
            globallyUniqueId: short.globallyUniqueId,
            checksum: checksum(c, ctx.flag('withRevisions'), ctx.flag('withData')),
          },
          200,
          headers,
        );
      }
      case 'shards': {
        if (!c.props.sharding) throw errors.notImplemented('shards are only available in cluster mode');
        const sharding = c.props.sharding;
        const shards = ctx.flag('details')
          ? Object.fromEntries(
              sharding.shards.map((s, i) => [s, shardServers(inst, sharding, i).map((m) => m.id)]),
            )
          : sharding.shards;
        return ok(collectionProperties(inst, db, c, { shards }), 200, headers);
      }
      default:
        throw errors.notImplemented(`collection ${String(p.sub)}`);
    }
  });

  r.on('PUT', '/_api/collection/:name/:sub', (ctx, p) => {
    const name = p.name as string;
    const db = ctx.db;
    const c = db.require(name);
    const inst = ctx.server;
    const headers = withLocation(ctx, name, p.sub as string);
    switch (p.sub) {
      case 'properties': {
        inst.assertAdmin(ctx);
        const body = ctx.object();
        if (typeof body.waitForSync === 'boolean') c.props.waitForSync = body.waitForSync;
        if (typeof body.cacheEnabled === 'boolean') c.props.cacheEnabled = body.cacheEnabled;
        if ('schema' in body) c.props.schema = SchemaValidator.from(body.schema);
        if ('computedValues' in body) {
          c.props.computedValues = inst.collectionProps(
            { name: 'x', computedValues: body.computedValues },
            db.options,
          ).computedValues;
        }
        const s = c.props.sharding;
        const rf = body.replicationFactor;
        const changes =
          (rf !== undefined && rf !== s?.replicationFactor) ||
          (body.writeConcern !== undefined && body.writeConcern !== s?.writeConcern);
        if (s?.distributeShardsLike && changes) {
          // A follower's replication is its prototype's (LogicalCollection: "please change <prototype>").
          throw new SimError(
            403,
            11,
            `Cannot change replicationFactor, please change ${s.distributeShardsLike}`,
          );
        }
        if (s) {
          if (typeof rf === 'number' || rf === 'satellite') s.replicationFactor = rf;
          if (typeof body.writeConcern === 'number') s.writeConcern = body.writeConcern;
        }
        return ok(collectionProperties(inst, db, c), 200, headers);
      }
      case 'truncate':
        ctx.assertWritable(name);
        assertReachable(inst, c.props.sharding);
        c.truncate();
        return ok(collectionShort(inst, db, c), 200, headers);
      case 'rename': {
        inst.assertAdmin(ctx);
        if (inst.cluster) throw errors.notImplemented('rename in a cluster');
        const to = ctx.object().name;
        if (!isValidCollectionName(to, c.props.isSystem)) throw errors.illegalName();
        db.rename(c, to);
        return ok(collectionShort(inst, db, c), 200, headers);
      }
      case 'load':
        return ok({ count: c.count(), ...collectionShort(inst, db, c) }, 200, headers);
      case 'unload':
      case 'compact':
        return ok(collectionShort(inst, db, c), 200, headers);
      case 'loadIndexesIntoMemory':
        return ok({ result: true }, 200, headers);
      case 'responsibleShard': {
        const s = c.props.sharding;
        if (!s) throw errors.notImplemented('responsibleShard is only available in cluster mode');
        const key = String(ctx.object()._key ?? '');
        return ok({ shardId: s.shards[responsibleShardIndex(key, s.shards.length)] }, 200, headers);
      }
      default:
        throw errors.notImplemented(`collection ${String(p.sub)}`);
    }
  });

  r.on('DELETE', '/_api/collection/:name', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const c = ctx.db.require(p.name as string);
    if (c.props.isSystem && !ctx.flag('isSystem')) throw errors.forbidden();
    ctx.db.dropCollection(c);
    return ok({ id: c.id });
  });
}
