/**
 * From a dump's structure and metadata to what arangojs creates: collection
 * options (with the restore's own replication and sharding), index, view and
 * analyzer definitions without the server-assigned fields a create rejects.
 */
import type { DumpCollection } from '../source/index.js';
import { isObject } from '../source/inventory.js';

export interface Placement {
  /** Replication factor of every restored collection, or `source`: as in the backup. */
  replicationFactor: number | 'source';
  /** `smallest`: one shard each; `source`: the shard count of the backup. */
  sharding: 'smallest' | 'source';
}

/** Collection parameters a restore keeps; everything else is server state (ids, status, shards map). */
const KEPT_COLLECTION_FIELDS = ['waitForSync', 'cacheEnabled', 'shardKeys', 'shardingStrategy'] as const;

export function collectionOptions(c: DumpCollection, placement: Placement): Record<string, unknown> {
  const p = c.parameters;
  const options: Record<string, unknown> = { type: c.type === 'edge' ? 3 : 2 };
  for (const field of KEPT_COLLECTION_FIELDS)
    if (p[field] !== undefined && p[field] !== null) options[field] = p[field];
  if (isObject(p.keyOptions)) {
    // lastValue is the server's counter, not an option.
    const { lastValue: _lastValue, ...keyOptions } = p.keyOptions;
    options.keyOptions = keyOptions;
  }
  if (isObject(p.schema) && isObject(p.schema.rule)) options.schema = p.schema;
  if (Array.isArray(p.computedValues) && p.computedValues.length > 0)
    options.computedValues = p.computedValues;
  if (placement.replicationFactor === 'source') {
    if (p.replicationFactor !== undefined) options.replicationFactor = p.replicationFactor;
    if (typeof p.writeConcern === 'number') options.writeConcern = p.writeConcern;
  } else {
    options.replicationFactor = placement.replicationFactor;
    options.writeConcern = 1;
  }
  options.numberOfShards =
    placement.sharding === 'source' && typeof p.numberOfShards === 'number' ? p.numberOfShards : 1;
  return options;
}

/** Index fields the server assigns or reports, never accepted back. */
const SERVER_INDEX_FIELDS = new Set([
  'id',
  'selectivityEstimate',
  'figures',
  'isNewlyCreated',
  'code',
  'error',
]);
/** Index types a collection has without being asked. */
const IMPLICIT_INDEX_TYPES = new Set(['primary', 'edge']);
/** Pre-3.x names that ArangoDB maps to persistent indexes. */
const LEGACY_INDEX_TYPES = new Set(['hash', 'skiplist']);

export function indexDefinitions(c: DumpCollection): Record<string, unknown>[] {
  return c.indexes
    .filter((i) => !IMPLICIT_INDEX_TYPES.has(String(i.type)))
    .map((i) => {
      const def = Object.fromEntries(Object.entries(i).filter(([k]) => !SERVER_INDEX_FIELDS.has(k)));
      if (LEGACY_INDEX_TYPES.has(String(def.type))) def.type = 'persistent';
      return def;
    });
}

const SERVER_VIEW_FIELDS = new Set(['id', 'globallyUniqueId', 'name', 'planId']);

export function viewDefinition(definition: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(definition).filter(([k]) => !SERVER_VIEW_FIELDS.has(k)));
}

export interface AnalyzerDefinition {
  name: string;
  type: string;
  properties?: Record<string, unknown>;
  features?: string[];
}

/** An `_analyzers` document as the definition to create (`name` is the local name). */
export function analyzerDefinition(doc: Record<string, unknown>): AnalyzerDefinition | undefined {
  const raw = typeof doc.name === 'string' ? doc.name : typeof doc._key === 'string' ? doc._key : undefined;
  if (!raw || typeof doc.type !== 'string') return undefined;
  const name = raw.includes('::') ? raw.slice(raw.indexOf('::') + 2) : raw;
  return {
    name,
    type: doc.type,
    ...(isObject(doc.properties) ? { properties: doc.properties } : {}),
    ...(Array.isArray(doc.features) ? { features: doc.features.map(String) } : {}),
  };
}

export interface GraphDefinition {
  name: string;
  edgeDefinitions: { collection: string; from: string[]; to: string[] }[];
  orphanCollections: string[];
}

/** A `_graphs` document as the graph to create. */
export function graphDefinition(doc: Record<string, unknown>): GraphDefinition | undefined {
  const name = typeof doc._key === 'string' ? doc._key : undefined;
  if (!name || !Array.isArray(doc.edgeDefinitions)) return undefined;
  return {
    name,
    edgeDefinitions: doc.edgeDefinitions.filter(isObject).map((e) => ({
      collection: String(e.collection),
      from: Array.isArray(e.from) ? e.from.map(String) : [],
      to: Array.isArray(e.to) ? e.to.map(String) : [],
    })),
    orphanCollections: Array.isArray(doc.orphanCollections) ? doc.orphanCollections.map(String) : [],
  };
}
