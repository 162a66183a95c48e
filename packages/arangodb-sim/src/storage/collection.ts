import { randomUUID } from 'node:crypto';
import type { HostCollection, HostIndex, StoredDoc, WriteOptions } from '../aql/host.js';
import { SimError } from '../aql/host.js';
import type { IdSource } from '../ids.js';
import { errors } from './errors.js';
import { equivalent, hostIndex, type IndexRecord, systemIndexes, ttlSeconds, uniqueKey } from './indexes.js';
import type { SchemaValidator } from './validation.js';

export interface KeyOptions {
  type: 'traditional' | 'autoincrement' | 'uuid' | 'padded';
  allowUserKeys: boolean;
  increment?: number;
  offset?: number;
  lastValue: number;
}

export interface ComputedValue {
  name: string;
  expression: string;
  computeOn: ('insert' | 'update' | 'replace')[];
  overwrite: boolean;
  keepNull: boolean;
  failOnWarning: boolean;
}

/** Cluster-only properties a coordinator reports. */
export interface ShardingProps {
  numberOfShards: number;
  replicationFactor: number | 'satellite';
  writeConcern: number;
  shardKeys: string[];
  shardingStrategy: string;
  distributeShardsLike?: string;
  shards: string[];
}

export interface CollectionProps {
  name: string;
  /** 2 document, 3 edge. */
  type: 2 | 3;
  isSystem: boolean;
  waitForSync: boolean;
  cacheEnabled: boolean;
  keyOptions: KeyOptions;
  schema: SchemaValidator | null;
  computedValues: ComputedValue[] | null;
  sharding?: ShardingProps;
}

/** Evaluates a computed-value expression (`RETURN …` with `@doc`); supplied by the database. */
export type Evaluator = (expression: string, doc: Record<string, unknown>) => unknown;

const KEY_RE = /^[a-zA-Z0-9_\-:.@()+,=;$!*'%]{1,254}$/;
const HANDLE_RE = /^[a-zA-Z0-9_-]+\/[a-zA-Z0-9_\-:.@()+,=;$!*'%]{1,254}$/;

export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_RE.test(key);
}

function deepMerge(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
  keepNull: boolean,
  mergeObjects: boolean,
): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null && !keepNull) {
      delete target[k];
      continue;
    }
    const cur = target[k];
    if (
      mergeObjects &&
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      cur !== null &&
      typeof cur === 'object' &&
      !Array.isArray(cur)
    ) {
      const merged = { ...(cur as Record<string, unknown>) };
      // VelocyPack merges walk the patch object in sorted key order, so new nested keys land sorted.
      const patchObj = v as Record<string, unknown>;
      const sorted: Record<string, unknown> = {};
      for (const pk of Object.keys(patchObj).sort()) sorted[pk] = patchObj[pk];
      deepMerge(merged, sorted, keepNull, mergeObjects);
      target[k] = merged;
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && !keepNull) {
      const cleaned: Record<string, unknown> = {};
      deepMerge(cleaned, v as Record<string, unknown>, keepNull, mergeObjects);
      target[k] = cleaned;
    } else {
      target[k] = v;
    }
  }
}

/** One collection: documents in a Map, unique indexes as Maps, edges indexed by _from/_to. */
export class Collection implements HostCollection {
  readonly docs = new Map<string, StoredDoc>();
  readonly userIndexes: IndexRecord[] = [];
  private readonly outEdges = new Map<string, Set<string>>();
  private readonly inEdges = new Map<string, Set<string>>();
  /** Revision of the last write (collection `revision`). */
  lastRev = '0';

  constructor(
    readonly id: string,
    public props: CollectionProps,
    private readonly ids: IdSource,
    private readonly evaluate: Evaluator | undefined,
  ) {}

  get name(): string {
    return this.props.name;
  }

  get type(): 'document' | 'edge' {
    return this.props.type === 3 ? 'edge' : 'document';
  }

  all(): Iterable<StoredDoc> {
    return this.docs.values();
  }

  count(): number {
    return this.docs.size;
  }

  get(key: string): StoredDoc | undefined {
    return this.docs.get(key);
  }

  indexes(): HostIndex[] {
    return [
      ...systemIndexes(this.name, this.props.type === 3).map(hostIndex),
      ...this.userIndexes.map((r) => hostIndex({ ...r.props, id: `${this.name}/${r.id}` })),
    ];
  }

  *edges(vertexId: string, direction: 'outbound' | 'inbound'): Iterable<StoredDoc> {
    const keys = (direction === 'outbound' ? this.outEdges : this.inEdges).get(vertexId);
    if (!keys) return;
    for (const k of keys) {
      const d = this.docs.get(k);
      if (d) yield d;
    }
  }

  private generateKey(): string {
    const ko = this.props.keyOptions;
    switch (ko.type) {
      case 'uuid':
        return randomUUID();
      case 'autoincrement': {
        const inc = ko.increment ?? 1;
        const off = ko.offset ?? 0;
        const next = ko.lastValue < off ? off : ko.lastValue + inc - ((ko.lastValue - off) % inc);
        ko.lastValue = next;
        return String(next);
      }
      case 'padded': {
        const t = this.ids.tick();
        ko.lastValue = t;
        return t.toString(16).padStart(16, '0');
      }
      default: {
        const t = this.ids.tick();
        ko.lastValue = t;
        return String(t);
      }
    }
  }

  private acceptUserKey(key: unknown): string {
    const ko = this.props.keyOptions;
    if (!ko.allowUserKeys) throw errors.unexpectedKey();
    if (!isValidKey(key)) throw errors.illegalKey();
    if (ko.type === 'traditional' || ko.type === 'autoincrement') {
      const n = /^\d{1,15}$/.test(key) ? Number(key) : Number.NaN;
      if (!Number.isNaN(n) && n > ko.lastValue) {
        ko.lastValue = n;
        if (ko.type === 'traditional') this.ids.observe(n);
      }
    }
    return key;
  }

  /** Builds the stored form: system attributes first, in the order real servers return them. */
  private build(
    key: string,
    rev: string,
    body: Record<string, unknown>,
    from?: unknown,
    to?: unknown,
  ): StoredDoc {
    const doc: Record<string, unknown> = { _key: key, _id: `${this.name}/${key}` };
    if (this.props.type === 3) {
      doc._from = from;
      doc._to = to;
    }
    doc._rev = rev;
    for (const k in body) {
      if (k === '_key' || k === '_id' || k === '_rev' || k === '_from' || k === '_to' || k === '_oldRev')
        continue;
      doc[k] = body[k];
    }
    return doc as StoredDoc;
  }

  private checkEdge(from: unknown, to: unknown): void {
    if (this.props.type !== 3) return;
    if (typeof from !== 'string' || typeof to !== 'string' || !HANDLE_RE.test(from) || !HANDLE_RE.test(to)) {
      throw errors.invalidEdge();
    }
  }

  private compute(doc: Record<string, unknown>, on: 'insert' | 'update' | 'replace'): void {
    const cvs = this.props.computedValues;
    if (!cvs || !this.evaluate) return;
    for (const cv of cvs) {
      if (!cv.computeOn.includes(on)) continue;
      if (!cv.overwrite && doc[cv.name] !== undefined) continue;
      const value = this.evaluate(cv.expression, doc);
      if ((value === null || value === undefined) && !cv.keepNull) delete doc[cv.name];
      else doc[cv.name] = value ?? null;
    }
  }

  private uniqueCheck(doc: Record<string, unknown>, selfKey: string | undefined): void {
    for (const r of this.userIndexes) {
      if (!r.uniqueMap) continue;
      const k = uniqueKey(r, doc);
      if (k === undefined) continue;
      const owner = r.uniqueMap.get(k);
      if (owner !== undefined && owner !== selfKey) {
        const fields = (r.props.fields as string[]).join(', ');
        throw errors.uniqueViolated(
          `unique constraint violated - in index ${String(r.props.name)} of type ${String(r.props.type)} over '${fields}'; conflicting key: ${owner}`,
        );
      }
    }
  }

  private link(doc: StoredDoc): void {
    for (const r of this.userIndexes) {
      if (!r.uniqueMap) continue;
      const k = uniqueKey(r, doc);
      if (k !== undefined) r.uniqueMap.set(k, doc._key);
    }
    if (this.props.type === 3) {
      addTo(this.outEdges, doc._from as string, doc._key);
      addTo(this.inEdges, doc._to as string, doc._key);
    }
  }

  private unlink(doc: StoredDoc): void {
    for (const r of this.userIndexes) {
      if (!r.uniqueMap) continue;
      const k = uniqueKey(r, doc);
      if (k !== undefined && r.uniqueMap.get(k) === doc._key) r.uniqueMap.delete(k);
    }
    if (this.props.type === 3) {
      this.outEdges.get(doc._from as string)?.delete(doc._key);
      this.inEdges.get(doc._to as string)?.delete(doc._key);
    }
  }

  private store(doc: StoredDoc, old: StoredDoc | undefined): void {
    if (old) this.unlink(old);
    this.docs.set(doc._key, doc);
    this.link(doc);
    this.lastRev = doc._rev;
  }

  insert(input: Record<string, unknown>, options: WriteOptions = {}): { new: StoredDoc; old?: StoredDoc } {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new SimError(400, 1227, 'invalid document type');
    }
    const userKey = input._key;
    if (userKey !== undefined) {
      if (!isValidKey(userKey)) throw errors.illegalKey();
      const existing = this.docs.get(userKey);
      if (existing) {
        const mode = options.overwriteMode ?? 'conflict';
        if (mode === 'ignore') return { new: existing, old: existing };
        if (mode === 'replace') return this.replace(userKey, input, options);
        if (mode === 'update') return this.update(userKey, input, options);
        throw errors.uniqueViolated(
          `unique constraint violated - in index primary of type primary over '_key'; conflicting key: ${userKey}`,
        );
      }
    }
    this.checkEdge(input._from, input._to);
    // Validate before generating a key so failed inserts do not consume key values.
    const probe = this.build(typeof userKey === 'string' ? userKey : '', '', input, input._from, input._to);
    this.compute(probe, 'insert');
    this.props.schema?.enforce(probe, undefined);
    const key = userKey !== undefined ? this.acceptUserKey(userKey) : this.generateKey();
    this.uniqueCheck(probe, undefined);
    probe._key = key;
    probe._id = `${this.name}/${key}`;
    probe._rev = this.ids.rev();
    this.store(probe, undefined);
    return { new: probe };
  }

  private checkRev(old: StoredDoc, body: Record<string, unknown>, options: WriteOptions): void {
    if (options.ignoreRevs === false && typeof body._rev === 'string' && body._rev !== old._rev) {
      throw errors.conflict();
    }
  }

  update(
    key: string,
    patch: Record<string, unknown>,
    options: WriteOptions = {},
  ): { new: StoredDoc; old: StoredDoc } {
    const old = this.docs.get(key);
    if (!old) throw errors.documentNotFound();
    this.checkRev(old, patch, options);
    const merged: Record<string, unknown> = { ...old };
    const body: Record<string, unknown> = {};
    for (const k in patch) if (!(k in SYSTEM_FIXED)) body[k] = patch[k];
    deepMerge(merged, body, options.keepNull !== false, options.mergeObjects !== false);
    const from = patch._from ?? old._from;
    const to = patch._to ?? old._to;
    this.checkEdge(from, to);
    const doc = this.build(key, '', merged, from, to);
    this.compute(doc, 'update');
    this.props.schema?.enforce(doc, old);
    this.uniqueCheck(doc, key);
    doc._rev = this.ids.rev();
    this.store(doc, old);
    return { new: doc, old };
  }

  replace(
    key: string,
    input: Record<string, unknown>,
    options: WriteOptions = {},
  ): { new: StoredDoc; old: StoredDoc } {
    const old = this.docs.get(key);
    if (!old) throw errors.documentNotFound();
    this.checkRev(old, input, options);
    this.checkEdge(input._from, input._to);
    const doc = this.build(key, '', input, input._from, input._to);
    this.compute(doc, 'replace');
    this.props.schema?.enforce(doc, old);
    this.uniqueCheck(doc, key);
    doc._rev = this.ids.rev();
    this.store(doc, old);
    return { new: doc, old };
  }

  remove(key: string, options: WriteOptions & { rev?: string } = {}): { old: StoredDoc } {
    const old = this.docs.get(key);
    if (!old) throw errors.documentNotFound();
    if (options.rev !== undefined && options.rev !== old._rev) throw errors.conflict();
    this.unlink(old);
    this.docs.delete(key);
    this.lastRev = this.ids.rev();
    return { old };
  }

  truncate(): void {
    this.docs.clear();
    this.outEdges.clear();
    this.inEdges.clear();
    for (const r of this.userIndexes) r.uniqueMap?.clear();
    this.lastRev = this.ids.rev();
  }

  /** Adds an index, building unique structures over existing documents (1210 on duplicates). */
  addIndex(id: string, props: Record<string, unknown>): IndexRecord {
    const record: IndexRecord = props.unique === true ? { id, props, uniqueMap: new Map() } : { id, props };
    if (record.uniqueMap) {
      for (const doc of this.docs.values()) {
        const k = uniqueKey(record, doc);
        if (k === undefined) continue;
        if (record.uniqueMap.has(k)) throw errors.uniqueViolated();
        record.uniqueMap.set(k, doc._key);
      }
    }
    this.userIndexes.push(record);
    return record;
  }

  /**
   * "Ensure" semantics of POST /_api/index: an equivalent index is returned as is (never renamed),
   * a reused name with another definition is 1005, a second different TTL index is 400/10.
   */
  ensureIndex(
    props: Record<string, unknown>,
    requestedName: string | undefined,
    newId: () => string,
  ): { record: IndexRecord; created: boolean } {
    if (requestedName === 'primary' || requestedName === 'edge') throw errors.duplicateIdentifier();
    for (const existing of this.userIndexes) {
      if (equivalent(existing.props, props)) return { record: existing, created: false };
      if (requestedName !== undefined && existing.props.name === requestedName)
        throw errors.duplicateIdentifier();
      if (existing.props.type === 'ttl' && props.type === 'ttl') {
        throw errors.badParameter('there can only be one ttl index per collection');
      }
    }
    return { record: this.addIndex(newId(), props), created: true };
  }

  dropIndex(id: string): boolean {
    const i = this.userIndexes.findIndex((r) => r.id === id || r.props.name === id);
    if (i < 0) return false;
    this.userIndexes.splice(i, 1);
    return true;
  }

  /** Removes documents whose TTL has passed; returns how many. */
  expire(nowMs: number): number {
    const ttl = this.userIndexes.find((r) => r.props.type === 'ttl');
    if (!ttl) return 0;
    const field = (ttl.props.fields as string[])[0] as string;
    const expireAfter = ttl.props.expireAfter as number;
    const now = nowMs / 1000;
    const victims: string[] = [];
    for (const doc of this.docs.values()) {
      const t = ttlSeconds(doc[field]);
      if (t !== undefined && now > t + expireAfter) victims.push(doc._key);
    }
    for (const k of victims) this.remove(k);
    return victims.length;
  }

  /** Approximate stored size, used for figures and memory metrics. */
  approximateBytes(): number {
    return this.docs.size * 64;
  }
}

const SYSTEM_FIXED: Record<string, true> = { _key: true, _id: true, _rev: true, _from: true, _to: true };

function addTo(map: Map<string, Set<string>>, vertex: string, key: string): void {
  let s = map.get(vertex);
  if (!s) {
    s = new Set();
    map.set(vertex, s);
  }
  s.add(key);
}
