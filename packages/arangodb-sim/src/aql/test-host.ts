/** Test support: a small in-memory AqlHost, so the engine's tests do not depend on the simulator's storage. */
import {
  type AqlHost,
  type HostCollection,
  type HostGraph,
  type HostIndex,
  SimError,
  type StoredDoc,
  type WriteOptions,
} from './host.js';

export class TestCollection implements HostCollection {
  private readonly docs = new Map<string, StoredDoc>();
  private readonly extraIndexes: HostIndex[] = [];
  private nextKey = 1;
  private nextRev = 1;

  constructor(
    readonly name: string,
    readonly type: 'document' | 'edge' = 'document',
  ) {}

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
    const primary: HostIndex = {
      id: `${this.name}/0`,
      name: 'primary',
      type: 'primary',
      fields: ['_key'],
      unique: true,
      sparse: false,
    };
    const edge: HostIndex[] =
      this.type === 'edge'
        ? [
            {
              id: `${this.name}/1`,
              name: 'edge',
              type: 'edge',
              fields: ['_from', '_to'],
              unique: false,
              sparse: false,
            },
          ]
        : [];
    return [primary, ...edge, ...this.extraIndexes];
  }

  addIndex(
    fields: string[],
    options: { unique?: boolean; sparse?: boolean; type?: string; name?: string } = {},
  ): HostIndex {
    const n = this.extraIndexes.length + 2;
    const index: HostIndex = {
      id: `${this.name}/${n}`,
      name: options.name ?? `idx_${n}`,
      type: options.type ?? 'persistent',
      fields,
      unique: options.unique ?? false,
      sparse: options.sparse ?? false,
    };
    this.extraIndexes.push(index);
    return index;
  }

  edges(vertexId: string, direction: 'outbound' | 'inbound'): Iterable<StoredDoc> {
    const attr = direction === 'outbound' ? '_from' : '_to';
    return [...this.docs.values()].filter((d) => d[attr] === vertexId);
  }

  insert(doc: Record<string, unknown>, options: WriteOptions = {}): { new: StoredDoc; old?: StoredDoc } {
    const key = typeof doc._key === 'string' ? doc._key : String(this.nextKey++);
    if (!/^[a-zA-Z0-9_\-:.@()+,=;$!*'%]{1,254}$/.test(key))
      throw new SimError(400, 1221, 'illegal document key');
    const old = this.docs.get(key);
    if (old) {
      const mode = options.overwriteMode ?? 'conflict';
      if (mode === 'ignore') return { new: old, old };
      if (mode === 'replace') return this.replace(key, doc);
      if (mode === 'update') return this.update(key, doc, options);
      throw new SimError(
        409,
        1210,
        `unique constraint violated - in index primary of type primary over '_key'; conflicting key: ${key}`,
      );
    }
    if (this.type === 'edge' && (typeof doc._from !== 'string' || typeof doc._to !== 'string')) {
      throw new SimError(400, 1233, 'edge attribute missing or invalid');
    }
    const stored = this.store(key, doc);
    return { new: stored };
  }

  update(
    key: string,
    patch: Record<string, unknown>,
    options: WriteOptions = {},
  ): { new: StoredDoc; old: StoredDoc } {
    const old = this.mustGet(key);
    const merged: Record<string, unknown> = { ...old };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null && options.keepNull === false) delete merged[k];
      else merged[k] = v;
    }
    return { old, new: this.store(key, merged) };
  }

  replace(key: string, doc: Record<string, unknown>): { new: StoredDoc; old: StoredDoc } {
    const old = this.mustGet(key);
    return { old, new: this.store(key, doc) };
  }

  remove(key: string): { old: StoredDoc } {
    const old = this.mustGet(key);
    this.docs.delete(key);
    return { old };
  }

  private mustGet(key: string): StoredDoc {
    const d = this.docs.get(key);
    if (!d) throw new SimError(404, 1202, 'document not found');
    return d;
  }

  private store(key: string, doc: Record<string, unknown>): StoredDoc {
    const { _key: _k, _id: _i, _rev: _r, ...rest } = doc;
    const stored: StoredDoc = {
      _key: key,
      _id: `${this.name}/${key}`,
      _rev: `_rev${this.nextRev++}`,
      ...rest,
    };
    this.docs.set(key, stored);
    return stored;
  }
}

export class TestHost implements AqlHost {
  readonly databaseName = '_system';
  readonly collections = new Map<string, TestCollection>();
  readonly graphs = new Map<string, HostGraph>();
  readonly writeChecks: string[] = [];
  readOnly = false;
  clock = Date.UTC(2024, 0, 15, 12, 0, 0);

  constructor(readonly version?: string) {}

  add(
    name: string,
    docs: Record<string, unknown>[] = [],
    type: 'document' | 'edge' = 'document',
  ): TestCollection {
    const c = new TestCollection(name, type);
    for (const d of docs) c.insert(d);
    this.collections.set(name, c);
    return c;
  }

  collection(name: string): HostCollection | undefined {
    return this.collections.get(name);
  }

  graph(name: string): HostGraph | undefined {
    return this.graphs.get(name);
  }

  assertWritable(collection: string): void {
    this.writeChecks.push(collection);
    if (this.readOnly) throw new SimError(403, 1004, 'read-only');
  }

  now(): number {
    return this.clock;
  }
}
