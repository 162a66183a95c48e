/**
 * Normalisation: turns a declaration and what the server reports into the same
 * canonical form, so equal things compare equal on 3.11 and 3.12, single server
 * and cluster. Rules follow the normalisation table of the research notes:
 * defaults filled in, legacy type aliases mapped, volatile and id fields dropped,
 * unordered lists sorted.
 */
import { LEGACY_INDEX_ALIASES } from './index-types.js';
import { deepEqual, isPlainObject, sortKeys } from './json.js';
import type {
  AccessLevel,
  AnalyzerSpec,
  Canonical,
  CollectionSpec,
  GraphSpec,
  IndexSpec,
  ServerRole,
  UserSpec,
  ViewSpec,
} from './types.js';

/** Collection properties that exist only in a cluster; compared only on a coordinator and only if declared. */
export const CLUSTER_COLLECTION_KEYS = [
  'numberOfShards',
  'replicationFactor',
  'writeConcern',
  'shardKeys',
  'shardingStrategy',
  'distributeShardsLike',
] as const;

/** Index types whose live form carries many server defaults: only declared keys are compared. */
export const PARTIAL_INDEX_TYPES: ReadonlySet<string> = new Set(['inverted']);

const COMPUTE_ON_ALL = ['insert', 'replace', 'update'];

// ---------------------------------------------------------------- collections

export function normaliseCollection(spec: CollectionSpec): Canonical {
  const out: Canonical = {
    type: spec.type ?? 'document',
    waitForSync: spec.waitForSync ?? false,
    cacheEnabled: spec.cacheEnabled ?? false,
    keyOptions: normaliseKeyOptions(spec.keyOptions ?? {}),
    schema: spec.schema
      ? {
          rule: sortKeys(spec.schema.rule),
          level: spec.schema.level ?? 'strict',
          ...(spec.schema.message !== undefined ? { message: spec.schema.message } : {}),
        }
      : null,
    computedValues: normaliseComputedValues(spec.computedValues),
  };
  for (const key of CLUSTER_COLLECTION_KEYS) {
    if (spec[key] !== undefined) out[key] = key === 'shardKeys' ? [...(spec[key] ?? [])] : spec[key];
  }
  return out;
}

/** `raw` is `GET /_api/collection/<name>/properties`; cluster keys are kept only on a coordinator. */
export function normaliseLiveCollection(raw: Record<string, unknown>, role: ServerRole): Canonical {
  const schema = isPlainObject(raw.schema) && isPlainObject(raw.schema.rule) ? raw.schema : null;
  const out: Canonical = {
    type: raw.type === 3 || raw.type === 'edge' ? 'edge' : 'document',
    waitForSync: raw.waitForSync === true,
    cacheEnabled: raw.cacheEnabled === true,
    keyOptions: normaliseKeyOptions(isPlainObject(raw.keyOptions) ? raw.keyOptions : {}),
    schema: schema
      ? {
          rule: sortKeys(schema.rule),
          level: typeof schema.level === 'string' ? schema.level : 'strict',
          ...(typeof schema.message === 'string' ? { message: schema.message } : {}),
        }
      : null,
    computedValues: normaliseComputedValues(Array.isArray(raw.computedValues) ? raw.computedValues : null),
  };
  if (role === 'COORDINATOR') {
    for (const key of CLUSTER_COLLECTION_KEYS) if (raw[key] !== undefined) out[key] = raw[key];
  }
  return out;
}

function normaliseKeyOptions(k: Record<string, unknown>): Canonical {
  const type = typeof k.type === 'string' ? k.type : 'traditional';
  const out: Canonical = { type, allowUserKeys: k.allowUserKeys !== false };
  // lastValue is a counter; increment/offset mean something only for autoincrement.
  if (type === 'autoincrement') {
    out.increment = typeof k.increment === 'number' ? k.increment : 1;
    out.offset = typeof k.offset === 'number' ? k.offset : 0;
  }
  return out;
}

function normaliseComputedValues(values: readonly unknown[] | null | undefined): Canonical[] {
  if (!values) return [];
  return values
    .filter(isPlainObject)
    .map((v) => ({
      name: String(v.name),
      expression: String(v.expression),
      overwrite: v.overwrite === true,
      computeOn: Array.isArray(v.computeOn) ? [...v.computeOn].map(String).sort() : COMPUTE_ON_ALL,
      keepNull: v.keepNull !== false,
      failOnWarning: v.failOnWarning === true,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

// -------------------------------------------------------------------- indexes

export interface NormalisedIndex {
  canonical: Canonical;
  /** The legacy spelling when the input used one (`hash`, `skiplist`, `zkd`, ...). */
  legacyType?: string;
}

/**
 * Works for a declaration and for an index the server reports (GET or the
 * answer of a create call): both are index definitions in the request shape.
 * `name` is part of the canonical form; `id` never is.
 */
export function normaliseIndex(raw: IndexSpec | Record<string, unknown>, database?: string): NormalisedIndex {
  const r = raw as Record<string, unknown>;
  const reported = String(r.type);
  const legacyType = LEGACY_INDEX_ALIASES[reported] ? reported : undefined;
  const type = LEGACY_INDEX_ALIASES[reported] ?? reported;
  const fields = Array.isArray(r.fields) ? r.fields : [];
  const base: Canonical = { type, name: r.name, fields: [...fields] };
  const bool = (key: string, dflt: boolean) => (typeof r[key] === 'boolean' ? r[key] : dflt);
  const list = (key: string) => (Array.isArray(r[key]) ? r[key] : []);
  let canonical: Canonical;
  switch (type) {
    case 'persistent': {
      const unique = bool('unique', false);
      canonical = {
        ...base,
        unique,
        sparse: bool('sparse', false),
        deduplicate: bool('deduplicate', true),
        // The server forces estimates on for unique indexes.
        estimates: unique ? true : bool('estimates', true),
        cacheEnabled: bool('cacheEnabled', false),
        storedValues: list('storedValues'),
      };
      break;
    }
    case 'ttl':
      canonical = { ...base, expireAfter: Number(r.expireAfter ?? 0) };
      break;
    case 'geo':
      canonical = {
        ...base,
        // Meaningful for one field only: for two the server prints false whatever was sent.
        geoJson: fields.length === 1 && bool('geoJson', false),
        legacyPolygons: bool('legacyPolygons', false),
      };
      break;
    case 'fulltext': {
      const minLength = typeof r.minLength === 'number' ? r.minLength : 2;
      canonical = { ...base, minLength: minLength <= 0 ? 1 : minLength };
      break;
    }
    case 'mdi':
    case 'mdi-prefixed':
      canonical = {
        ...base,
        fieldValueTypes: typeof r.fieldValueTypes === 'string' ? r.fieldValueTypes : 'double',
        unique: bool('unique', false),
        sparse: bool('sparse', false),
        storedValues: list('storedValues'),
        ...(type === 'mdi-prefixed'
          ? { prefixFields: list('prefixFields'), estimates: bool('estimates', true) }
          : {}),
      };
      break;
    case 'inverted':
      canonical = normaliseInverted(database === undefined ? r : stripAnalyzerPrefix(r, database));
      break;
    default:
      canonical = { ...base, unique: bool('unique', false), sparse: bool('sparse', false) };
  }
  return legacyType ? { canonical, legacyType } : { canonical };
}

/** Keys of an index description that are state, not definition. */
export const INDEX_VOLATILE_KEYS: ReadonlySet<string> = new Set([
  'id',
  'selectivityEstimate',
  'figures',
  'progress',
  'isBuilding',
  'isNewlyCreated',
  'inBackground',
  'error',
  'code',
  'version',
]);

/** Field options an inverted index field inherits from the index (or, for `nested`, its parent field). */
const INHERITED_FIELD_KEYS = [
  'analyzer',
  'features',
  'includeAllFields',
  'trackListPositions',
  'searchField',
  'cache',
];

function normaliseInverted(r: Record<string, unknown>): Canonical {
  const out: Canonical = {};
  for (const [k, v] of Object.entries(r)) {
    if (INDEX_VOLATILE_KEYS.has(k) || k.startsWith('coordinator') || v === undefined) continue;
    out[k] = v;
  }
  // The server prints features in its own order; compare them as a set, like analyzer features.
  if (Array.isArray(r.features)) out.features = sortedStrings(r.features);
  const inherited: Canonical = {
    analyzer: r.analyzer ?? 'identity',
    features: Array.isArray(r.features) ? sortedStrings(r.features) : ['frequency', 'norm'],
    includeAllFields: r.includeAllFields === true,
    trackListPositions: r.trackListPositions === true,
    searchField: r.searchField === true,
    ...(typeof r.cache === 'boolean' ? { cache: r.cache } : {}),
  };
  out.fields = invertedFields(Array.isArray(r.fields) ? r.fields : [], inherited);
  if (isPlainObject(r.primarySort)) out.primarySort = invertedPrimarySort(r.primarySort);
  if (Array.isArray(r.storedValues)) out.storedValues = r.storedValues.map(normaliseStoredValue);
  return sortKeys(out);
}

/** Each field as an object without the options it inherits unchanged (the server leaves those out). */
function invertedFields(fields: readonly unknown[], parent: Canonical): Canonical[] {
  return fields.map((f) => {
    const field: Canonical = typeof f === 'string' ? { name: f } : isPlainObject(f) ? { ...f } : { name: f };
    if (Array.isArray(field.features)) field.features = sortedStrings(field.features);
    const effective = { ...parent, ...field };
    for (const k of INHERITED_FIELD_KEYS) {
      if (k in field && deepEqual(field[k], parent[k])) delete field[k];
    }
    if (Array.isArray(field.nested)) field.nested = invertedFields(field.nested, effective);
    return field;
  });
}

/** Requests say `{field, direction}`, the server answers `{field, asc}`. */
function invertedPrimarySort(sort: Record<string, unknown>): Canonical {
  const out: Canonical = { ...sort };
  if (Array.isArray(sort.fields)) out.fields = sort.fields.map(sortEntry);
  return out;
}

function sortEntry(entry: unknown): unknown {
  if (!isPlainObject(entry) || 'asc' in entry) return entry;
  const { direction, ...rest } = entry;
  return { ...rest, asc: String(direction ?? 'asc').toLowerCase() !== 'desc' };
}

function sortedStrings(values: readonly unknown[]): string[] {
  return values.map(String).sort();
}

function normaliseStoredValue(v: unknown): unknown {
  if (typeof v === 'string') return { fields: [v], compression: 'lz4' };
  if (Array.isArray(v)) return { fields: v, compression: 'lz4' };
  if (isPlainObject(v)) return { compression: 'lz4', ...v };
  return v;
}

// ---------------------------------------------------------------------- views

const LINK_DEFAULTS = {
  analyzers: ['identity'],
  fields: {},
  includeAllFields: false,
  storeValues: 'none',
  trackListPositions: false,
};

/** Declared view: only declared keys are compared later (server defaults change between patch releases). */
export function normaliseView(spec: ViewSpec): Canonical {
  if (spec.type === 'search-alias') return { type: spec.type, indexes: sortAliasIndexes(spec.indexes) };
  const out: Canonical = {};
  for (const [k, v] of Object.entries(spec)) if (v !== undefined) out[k] = v;
  if (spec.links) {
    out.links = Object.fromEntries(
      Object.entries(spec.links).map(([coll, link]) => [coll, normaliseLink({ ...LINK_DEFAULTS, ...link })]),
    );
  }
  if (spec.primarySort) out.primarySort = spec.primarySort.map(sortEntry);
  if (spec.storedValues) out.storedValues = spec.storedValues.map(normaliseStoredValue);
  return sortKeys(out);
}

/** `raw` is `GET /_api/view/<name>/properties`. */
export function normaliseLiveView(raw: Record<string, unknown>, database: string): Canonical {
  const out: Canonical = {};
  for (const [k, v] of Object.entries(raw)) {
    if (['id', 'globallyUniqueId', 'name', 'error', 'code'].includes(k)) continue;
    out[k] = v;
  }
  if (raw.type === 'search-alias') {
    out.indexes = sortAliasIndexes(Array.isArray(raw.indexes) ? raw.indexes.filter(isPlainObject) : []);
  } else if (isPlainObject(raw.links)) {
    out.links = Object.fromEntries(
      Object.entries(raw.links).map(([coll, link]) => [
        coll,
        normaliseLink(stripAnalyzerPrefix(isPlainObject(link) ? link : {}, database)),
      ]),
    );
  }
  return sortKeys(out);
}

/** Options a nested link field inherits from its link or parent field. */
const INHERITED_LINK_KEYS = ['analyzers', 'includeAllFields', 'storeValues', 'trackListPositions', 'cache'];

function normaliseLink(link: Record<string, unknown>): Record<string, unknown> {
  const out = linkNode(link);
  if (isPlainObject(out.fields)) out.fields = linkFields(out.fields, out);
  return out;
}

function linkNode(node: Record<string, unknown>): Record<string, unknown> {
  const out = { ...node };
  delete out.inBackground;
  if (Array.isArray(out.analyzers)) out.analyzers = sortedStrings(out.analyzers);
  return out;
}

/** Nested fields without the options they inherit unchanged (the server leaves those out). */
function linkFields(
  fields: Record<string, unknown>,
  parent: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, raw]) => {
      const field = linkNode(isPlainObject(raw) ? raw : {});
      const effective = { ...parent, ...field };
      for (const k of INHERITED_LINK_KEYS) {
        if (k in field && deepEqual(field[k], parent[k])) delete field[k];
      }
      if (isPlainObject(field.fields)) field.fields = linkFields(field.fields, effective);
      return [name, field];
    }),
  );
}

function sortAliasIndexes(indexes: readonly Record<string, unknown>[]): Canonical[] {
  return indexes
    .map((i) => ({ collection: String(i.collection), index: String(i.index) }))
    .sort((a, b) => `${a.collection}/${a.index}`.localeCompare(`${b.collection}/${b.index}`));
}

/** Custom analyzers are reported as `<db>::<name>` (views; inverted indexes in a cluster); declarations use the bare name. */
function stripAnalyzerPrefix<T>(value: T, database: string): T {
  const prefix = `${database}::`;
  if (typeof value === 'string') return (value.startsWith(prefix) ? value.slice(prefix.length) : value) as T;
  if (Array.isArray(value)) return value.map((v) => stripAnalyzerPrefix(v, database)) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, stripAnalyzerPrefix(v, database)]),
    ) as T;
  }
  return value;
}

// ------------------------------------------------------------------ analyzers

export function normaliseAnalyzer(spec: AnalyzerSpec | Record<string, unknown>): Canonical {
  const s = spec as Record<string, unknown>;
  return sortKeys({
    type: String(s.type),
    properties: isPlainObject(s.properties) ? s.properties : {},
    features: Array.isArray(s.features) ? [...s.features].map(String).sort() : [],
  });
}

// --------------------------------------------------------------------- graphs

export function normaliseGraph(spec: GraphSpec | Record<string, unknown>): Canonical {
  const s = spec as Record<string, unknown>;
  const defs = Array.isArray(s.edgeDefinitions) ? s.edgeDefinitions.filter(isPlainObject) : [];
  return {
    edgeDefinitions: defs
      .map((d) => ({
        collection: String(d.collection),
        from: (Array.isArray(d.from) ? d.from : []).map(String).sort(),
        to: (Array.isArray(d.to) ? d.to : []).map(String).sort(),
      }))
      .sort((a, b) => a.collection.localeCompare(b.collection)),
    orphanCollections: (Array.isArray(s.orphanCollections) ? s.orphanCollections : []).map(String).sort(),
  };
}

// ---------------------------------------------------------------------- users

export function normaliseUser(spec: UserSpec): Canonical {
  return {
    active: spec.active ?? true,
    ...(spec.extra !== undefined ? { extra: sortKeys(spec.extra) } : {}),
  };
}

export interface CanonicalGrant {
  database: AccessLevel;
  collections: Record<string, AccessLevel>;
}

export function normaliseGrants(grants: UserSpec['grants']): Record<string, CanonicalGrant> {
  const out: Record<string, CanonicalGrant> = {};
  for (const db of Object.keys(grants).sort()) {
    const g = grants[db]!;
    out[db] =
      typeof g === 'string'
        ? { database: g, collections: {} }
        : { database: g.database ?? 'none', collections: sortKeys(g.collections ?? {}) };
  }
  return out;
}
