import { reorder } from '../http/reply.js';
import type { Instance } from '../instance.js';
import type { Collection } from '../storage/collection.js';
import type { Database } from '../storage/database.js';
import { hasSupportsRbac } from '../version.js';

/** `{id,name,status,type,isSystem,globallyUniqueId}`: list entries. */
export function collectionListEntry(inst: Instance, db: Database, c: Collection): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    status: 3,
    type: c.props.type,
    isSystem: c.props.isSystem,
    globallyUniqueId: globallyUniqueId(inst, db, c),
  };
}

export function globallyUniqueId(inst: Instance, db: Database, c: Collection): string {
  return c.props.isSystem && !inst.cluster ? c.name : db.globallyUniqueId(c.id, inst.cluster);
}

/** The short answer of truncate/rename/load/unload/compact. */
export function collectionShort(inst: Instance, db: Database, c: Collection): Record<string, unknown> {
  return {
    globallyUniqueId: globallyUniqueId(inst, db, c),
    isSystem: c.props.isSystem,
    status: 3,
    type: c.props.type,
    name: c.name,
    id: c.id,
  };
}

/**
 * The full property set, in the key order of a real single server (or coordinator in cluster
 * mode); `extra` entries (count, figures, revision, shards) are placed where real servers put them.
 */
export function collectionProperties(
  inst: Instance,
  db: Database,
  c: Collection,
  extra: { count?: number; revision?: string; figures?: unknown; shards?: unknown } = {},
): Record<string, unknown> {
  const p = c.props;
  const schema = p.schema ? { ...p.schema.schema } : null;
  const rbac = hasSupportsRbac(inst.version);
  const out: Record<string, unknown> = {};
  if (extra.figures !== undefined) out.figures = extra.figures;
  if (p.sharding) {
    const s = p.sharding;
    if (extra.shards !== undefined) out.shards = extra.shards;
    Object.assign(out, {
      writeConcern: s.writeConcern,
      waitForSync: p.waitForSync,
      usesRevisionsAsDocumentIds: true,
      syncByRevision: true,
    });
    if (rbac) out.supportsRBAC = true;
    Object.assign(out, {
      shardingStrategy: s.shardingStrategy,
      schema,
      numberOfShards: s.numberOfShards,
      minReplicationFactor: s.writeConcern,
      id: c.id,
      isSmartChild: false,
      name: c.name,
      statusString: 'loaded',
      isSmart: false,
      replicationFactor: s.replicationFactor,
      type: p.type,
      status: 3,
    });
    if (extra.count !== undefined) out.count = extra.count;
    if (extra.revision !== undefined) out.revision = extra.revision;
    Object.assign(out, {
      cacheEnabled: p.cacheEnabled,
      isSystem: p.isSystem,
      computedValues: p.computedValues,
      internalValidatorType: 0,
      globallyUniqueId: globallyUniqueId(inst, db, c),
      shardKeys: s.shardKeys,
      isDisjoint: false,
    });
    if (s.distributeShardsLike) out.distributeShardsLike = s.distributeShardsLike;
    const { lastValue: _omit, ...ko } = keyOptionsOut(c);
    out.keyOptions = ko;
    return out;
  }
  Object.assign(out, {
    writeConcern: 1,
    waitForSync: p.waitForSync,
    usesRevisionsAsDocumentIds: true,
    syncByRevision: true,
  });
  if (rbac) out.supportsRBAC = true;
  out.statusString = 'loaded';
  if (extra.revision !== undefined) out.revision = extra.revision;
  Object.assign(out, { id: c.id, isSmartChild: false, schema, name: c.name, type: p.type, status: 3 });
  if (extra.count !== undefined) out.count = extra.count;
  Object.assign(out, {
    cacheEnabled: p.cacheEnabled,
    isSystem: p.isSystem,
    internalValidatorType: 0,
    globallyUniqueId: globallyUniqueId(inst, db, c),
    keyOptions: { ...keyOptionsOut(c) },
    computedValues: p.computedValues,
    objectId: String(Number(c.id) + 1),
  });
  return out;
}

function keyOptionsOut(c: Collection): Record<string, unknown> {
  const ko = c.props.keyOptions;
  if (ko.type === 'autoincrement') {
    return {
      allowUserKeys: ko.allowUserKeys,
      type: ko.type,
      offset: ko.offset,
      increment: ko.increment,
      lastValue: ko.lastValue,
    };
  }
  return { allowUserKeys: ko.allowUserKeys, type: ko.type, lastValue: ko.lastValue };
}

/** GET …/revision answers in this (hash) order on single servers. */
const REVISION_ORDER = [
  'writeConcern',
  'waitForSync',
  'usesRevisionsAsDocumentIds',
  'syncByRevision',
  'supportsRBAC',
  'statusString',
  'schema',
  'revision',
  'id',
  'isSmartChild',
  'name',
  'type',
  'status',
  'cacheEnabled',
  'isSystem',
  'objectId',
  'computedValues',
  'internalValidatorType',
  'globallyUniqueId',
  'keyOptions',
];

export function collectionRevision(inst: Instance, db: Database, c: Collection): Record<string, unknown> {
  const props = collectionProperties(inst, db, c, { revision: c.lastRev });
  return c.props.sharding ? props : reorder(props, REVISION_ORDER);
}
