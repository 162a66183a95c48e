import type { HostIndex } from '../aql/host.js';
import {
  consolidationIntervalMsec,
  consolidationPolicy,
  hasZkdFieldValueTypes,
  is312,
  type VersionInfo,
} from '../version.js';
import { errors } from './errors.js';

/** One index as stored: `props` is exactly what GET /_api/index reports (minus `id`). */
export interface IndexRecord {
  readonly id: string;
  readonly props: Record<string, unknown>;
  /** Unique indexes: index key → document key. */
  readonly uniqueMap?: Map<string, string>;
}

const PERSISTENT_LIKE = new Set(['persistent', 'hash', 'skiplist']);

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

function getPath(doc: Record<string, unknown>, path: string): unknown {
  if (!path.includes('.')) return doc[path];
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * The unique-index key of a document, or undefined when the document is not indexed
 * (sparse index and a null/missing attribute).
 */
export function uniqueKey(record: IndexRecord, doc: Record<string, unknown>): string | undefined {
  const fields = record.props.fields as string[];
  const sparse = record.props.sparse === true;
  const values: unknown[] = [];
  for (const f of fields) {
    const v = getPath(doc, f);
    if (sparse && (v === null || v === undefined)) return undefined;
    values.push(v ?? null);
  }
  return values.length === 1 ? JSON.stringify(values[0]) : JSON.stringify(values);
}

function fieldNames(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw errors.badParameter('index field names must be non-empty');
  return value.map((f) => {
    if (typeof f === 'string' && f.length > 0) return f;
    throw errors.badParameter('index field names must be non-empty strings');
  });
}

/** ArangoDB prints analyzer features in this fixed order, whatever order they were sent in. */
const FEATURE_ORDER = ['frequency', 'position', 'offset', 'norm'];

function orderFeatures(features: unknown): unknown {
  if (!Array.isArray(features)) return features;
  return [...features].sort((a, b) => FEATURE_ORDER.indexOf(String(a)) - FEATURE_ORDER.indexOf(String(b)));
}

/** Field options a field inherits from its parent (the index, or the enclosing field for `nested`). */
const INHERITED_FIELD_KEYS = [
  'analyzer',
  'features',
  'includeAllFields',
  'trackListPositions',
  'searchField',
  'cache',
];

/**
 * Inverted index fields as the server stores them: a string becomes `{name}`, options equal to the
 * inherited value are left out (the recorded field `a` is just `{name: "a"}`), and a field analyzer
 * other than the inherited one brings that analyzer's features.
 */
function invertedFields(value: unknown, parent: Record<string, unknown>): unknown[] {
  if (!Array.isArray(value)) throw errors.badParameter('fields must be an array');
  return value.map((f) => {
    if (typeof f === 'string') return { name: f };
    if (!f || typeof f !== 'object' || typeof (f as Record<string, unknown>).name !== 'string')
      throw errors.badParameter('invalid inverted index field');
    const field: Record<string, unknown> = { ...(f as Record<string, unknown>) };
    if (field.features !== undefined) field.features = orderFeatures(field.features);
    if (field.analyzer !== undefined && field.analyzer !== parent.analyzer && field.features === undefined) {
      // Real servers expand a field analyzer into the analyzer's feature set (text analyzers).
      field.features = ['frequency', 'position', 'norm'];
    }
    const effective = { ...parent, ...field };
    for (const k of INHERITED_FIELD_KEYS) {
      if (k in field && JSON.stringify(field[k]) === JSON.stringify(parent[k])) delete field[k];
    }
    if (field.nested !== undefined) field.nested = invertedFields(field.nested, effective);
    const out: Record<string, unknown> = {};
    // The recorded order: features, analyzer, then the rest, name last.
    for (const k of ['features', 'analyzer', ...Object.keys(field).filter((x) => x !== 'name'), 'name'])
      if (k in field && !(k in out)) out[k] = field[k];
    return out;
  });
}

/** `primarySort` of an inverted index: requests say `direction`, the server answers `asc`. */
function invertedPrimarySort(value: unknown): Record<string, unknown> {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const fields = Array.isArray(v.fields) ? v.fields : [];
  const out: Record<string, unknown> = {
    fields: fields.map((e) => {
      const s = (e ?? {}) as Record<string, unknown>;
      const asc = typeof s.asc === 'boolean' ? s.asc : String(s.direction ?? 'asc').toLowerCase() !== 'desc';
      return { field: s.field, asc };
    }),
    compression: typeof v.compression === 'string' ? v.compression : 'lz4',
  };
  if (typeof v.cache === 'boolean') out.cache = v.cache;
  return out;
}

/** Turns a create request into the stored index properties (defaults as real servers report them). */
export function normaliseIndex(
  req: Record<string, unknown>,
  version: VersionInfo,
  cluster: boolean,
  autoName: () => string,
): Record<string, unknown> {
  if (typeof req.type !== 'string') throw errors.badParameter('invalid index type');
  let type: string = req.type;
  if (type === 'geo1' || type === 'geo2') type = 'geo';
  if (type === 'zkd' && is312(version)) type = 'mdi';
  if (type === 'primary' || type === 'edge') throw errors.forbidden();
  const name = typeof req.name === 'string' && req.name.length > 0 ? req.name : autoName();
  const unique = req.unique === true;
  const sparseReq = req.sparse === true;
  const p: Record<string, unknown> = { name, type };
  if (PERSISTENT_LIKE.has(type)) {
    const estimates = unique ? true : req.estimates !== false;
    Object.assign(p, {
      fields: fieldNames(req.fields),
      unique,
      sparse: sparseReq,
      deduplicate: req.deduplicate !== false,
      estimates,
      cacheEnabled: req.cacheEnabled === true,
    });
    if (estimates) p.selectivityEstimate = 1;
    if (Array.isArray(req.storedValues) && req.storedValues.length > 0) p.storedValues = req.storedValues;
  } else if (type === 'ttl') {
    const fields = fieldNames(req.fields);
    if (fields.length !== 1 || fields[0]?.includes('.'))
      throw errors.badParameter('ttl index must have exactly one top-level field');
    if (unique) throw errors.badParameter('ttl indexes cannot be unique');
    if (typeof req.expireAfter !== 'number' || req.expireAfter < 0)
      throw errors.badParameter('expireAfter attribute must be a number >= 0');
    Object.assign(p, { fields, expireAfter: req.expireAfter, unique: false, sparse: true, estimates: false });
    if (cluster) p.selectivityEstimate = 1;
  } else if (type === 'geo') {
    const fields = fieldNames(req.fields);
    if (fields.length > 2) throw errors.badParameter('geo index expects one or two fields');
    Object.assign(p, {
      fields,
      // geoJson only means something for one field; for two the server prints false.
      geoJson: fields.length === 1 && req.geoJson === true,
      legacyPolygons: req.legacyPolygons === true,
      unique: false,
      sparse: true,
      bestIndexedLevel: 17,
      worstIndexedLevel: 4,
      maxNumCoverCells: 8,
    });
  } else if (type === 'fulltext') {
    const fields = fieldNames(req.fields);
    if (fields.length !== 1) throw errors.badParameter('fulltext index expects one field');
    const minLength = typeof req.minLength === 'number' ? Math.max(1, req.minLength) : 2;
    Object.assign(p, { fields, minLength, unique: false, sparse: true });
  } else if (type === 'zkd') {
    Object.assign(p, { fields: fieldNames(req.fields), unique, sparse: false });
    if (hasZkdFieldValueTypes(version)) {
      requireFieldValueTypes(req);
      p.fieldValueTypes = req.fieldValueTypes;
    }
  } else if (type === 'mdi' || type === 'mdi-prefixed') {
    if (!is312(version)) throw errors.badParameter('invalid index type');
    requireFieldValueTypes(req);
    Object.assign(p, {
      fields: fieldNames(req.fields),
      fieldValueTypes: req.fieldValueTypes,
      unique,
      sparse: sparseReq,
    });
    if (type === 'mdi-prefixed') {
      p.prefixFields = fieldNames(req.prefixFields);
      p.estimates = req.estimates !== false;
      if (p.estimates) p.selectivityEstimate = 1;
    } else {
      p.estimates = false;
    }
    if (Array.isArray(req.storedValues) && req.storedValues.length > 0) p.storedValues = req.storedValues;
  } else if (type === 'inverted') {
    const inherited: Record<string, unknown> = {
      analyzer: req.analyzer ?? 'identity',
      features: orderFeatures(req.features ?? ['frequency', 'norm']),
      includeAllFields: req.includeAllFields === true,
      trackListPositions: req.trackListPositions === true,
      searchField: req.searchField === true,
    };
    if (typeof req.cache === 'boolean') inherited.cache = req.cache;
    Object.assign(p, {
      fields: invertedFields(req.fields, inherited),
      ...inherited,
      storedValues: req.storedValues ?? [],
      primarySort: invertedPrimarySort(req.primarySort),
      cleanupIntervalStep: req.cleanupIntervalStep ?? 2,
      commitIntervalMsec: req.commitIntervalMsec ?? 1000,
      consolidationIntervalMsec: req.consolidationIntervalMsec ?? consolidationIntervalMsec(version),
      consolidationPolicy: req.consolidationPolicy ?? consolidationPolicy(version),
      writebufferActive: req.writebufferActive ?? 0,
      writebufferIdle: req.writebufferIdle ?? 64,
      writebufferSizeMax: req.writebufferSizeMax ?? 33554432,
      version: 1,
      unique: false,
      sparse: true,
    });
    if (is312(version)) p.optimizeTopK = req.optimizeTopK ?? [];
  } else {
    throw errors.badParameter('invalid index type');
  }
  // In a cluster the coordinator echoes the Plan entry, which keeps inBackground (notes/schema.md §2.2).
  if (cluster && req.inBackground !== undefined) p.inBackground = req.inBackground;
  return p;
}

/** ArangoDB's docs: `fieldValueTypes` is required and must be "double" (notes/schema.md §2.2). */
function requireFieldValueTypes(req: Record<string, unknown>): void {
  if (req.fieldValueTypes !== 'double')
    throw errors.badParameter('fieldValueTypes must be set to "double" for multi-dimensional indexes');
}

const EQUALITY_KEYS: Record<string, string[]> = {
  geo: ['geoJson'],
  fulltext: ['minLength'],
  ttl: ['expireAfter'],
  'mdi-prefixed': ['prefixFields'],
};

/** "Ensure" equivalence: same type, ordered fields, unique, sparse and type-specific keys; never name. */
export function equivalent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if (a.type !== b.type || a.unique !== b.unique || a.sparse !== b.sparse) return false;
  if (JSON.stringify(a.fields) !== JSON.stringify(b.fields)) return false;
  for (const k of EQUALITY_KEYS[a.type as string] ?? []) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
  }
  return true;
}

export function systemIndexes(collection: string, edge: boolean): Record<string, unknown>[] {
  const primary = {
    fields: ['_key'],
    id: `${collection}/0`,
    name: 'primary',
    selectivityEstimate: 1,
    sparse: false,
    type: 'primary',
    unique: true,
  };
  if (!edge) return [primary];
  return [
    primary,
    {
      fields: ['_from', '_to'],
      id: `${collection}/1`,
      name: 'edge',
      selectivityEstimate: 1,
      sparse: false,
      type: 'edge',
      unique: false,
    },
  ];
}

/** The wire form of a user index. */
export function describeIndex(collection: string, record: IndexRecord): Record<string, unknown> {
  return sortKeys({ ...record.props, id: `${collection}/${record.id}` });
}

export function hostIndex(d: Record<string, unknown>): HostIndex {
  return {
    id: String(d.id ?? ''),
    name: String(d.name),
    type: String(d.type),
    fields: (d.fields as unknown[]).map((f) =>
      typeof f === 'string' ? f : String((f as { name: unknown }).name),
    ),
    unique: d.unique === true,
    sparse: d.sparse === true,
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Expiry reference of a TTL attribute in seconds, or undefined when the value is not indexable. */
export function ttlSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && ISO_DATE.test(value)) {
    const ms = Date.parse(/[Zz]|[+-]\d{2}:?\d{2}$/.test(value) || value.length === 10 ? value : `${value}Z`);
    return Number.isNaN(ms) ? undefined : ms / 1000;
  }
  return undefined;
}
