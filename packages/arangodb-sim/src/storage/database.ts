import type { AqlHost, HostCollection, HostGraph } from '../aql/host.js';
import type { IdSource } from '../ids.js';
import { Collection, type CollectionProps, type Evaluator } from './collection.js';
import { errors } from './errors.js';

export interface DatabaseOptions {
  sharding: '' | 'flexible' | 'single';
  replicationFactor: number | 'satellite';
  writeConcern: number;
}

/** Views and analyzers are stored as their wire definitions. */
export interface ViewRecord {
  id: string;
  name: string;
  type: 'arangosearch' | 'search-alias';
  globallyUniqueId: string;
  props: Record<string, unknown>;
}

export interface AnalyzerRecord {
  name: string;
  type: string;
  properties: Record<string, unknown>;
  features: string[];
}

const SYSTEM_COLLECTIONS = [
  '_analyzers',
  '_appbundles',
  '_apps',
  '_aqlfunctions',
  '_frontend',
  '_graphs',
  '_jobs',
  '_queues',
];
const SYSTEM_DB_ONLY = ['_statistics', '_statistics15', '_statisticsRaw', '_users'];

const COLLECTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,255}$/;

export function isValidCollectionName(name: unknown, allowSystem: boolean): name is string {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) return false;
  return allowSystem || !name.startsWith('_');
}

export class Database {
  readonly collections = new Map<string, Collection>();
  readonly views = new Map<string, ViewRecord>();
  readonly analyzers = new Map<string, AnalyzerRecord>();

  constructor(
    readonly name: string,
    readonly id: string,
    readonly options: DatabaseOptions,
    private readonly ids: IdSource,
    private readonly serverPrefix: string,
    readonly evaluate: Evaluator | undefined,
    systemProps: (name: string) => CollectionProps,
  ) {
    const names = name === '_system' ? [...SYSTEM_COLLECTIONS, ...SYSTEM_DB_ONLY] : SYSTEM_COLLECTIONS;
    for (const n of names.sort()) this.addCollection(systemProps(n), String(this.ids.tick()));
  }

  get isSystem(): boolean {
    return this.name === '_system';
  }

  globallyUniqueId(id: string, cluster: boolean): string {
    return cluster ? `c${id}/` : `${this.serverPrefix}/${id}`;
  }

  addCollection(props: CollectionProps, id = String(this.ids.tick())): Collection {
    if (this.collections.has(props.name) || this.views.has(props.name))
      throw errors.duplicateName(props.name);
    const c = new Collection(id, props, this.ids, this.evaluate);
    this.collections.set(props.name, c);
    return c;
  }

  /** By name or numeric id, as the collection API accepts both. */
  lookup(nameOrId: string): Collection | undefined {
    const c = this.collections.get(nameOrId);
    if (c) return c;
    if (/^\d+$/.test(nameOrId)) {
      for (const col of this.collections.values()) if (col.id === nameOrId) return col;
    }
    return undefined;
  }

  require(nameOrId: string): Collection {
    const c = this.lookup(nameOrId);
    if (!c) throw errors.dataSourceNotFound(nameOrId);
    return c;
  }

  dropCollection(c: Collection): void {
    this.collections.delete(c.name);
  }

  rename(c: Collection, to: string): void {
    if (this.collections.has(to) || this.views.has(to)) throw errors.duplicateName(to);
    this.collections.delete(c.name);
    c.props.name = to;
    this.collections.set(to, c);
  }

  graphDoc(name: string): Record<string, unknown> | undefined {
    return this.collections.get('_graphs')?.get(name);
  }

  /** The AQL engine's view of this database; `assertWritable` carries the caller's permissions. */
  host(assertWritable: (collection: string) => void, now: () => number, version: string): AqlHost {
    return {
      databaseName: this.name,
      version,
      collection: (name: string): HostCollection | undefined => this.collections.get(name),
      graph: (name: string): HostGraph | undefined => {
        const g = this.graphDoc(name);
        if (!g) return undefined;
        const defs = (g.edgeDefinitions as { collection: string }[]) ?? [];
        return { name, edgeCollections: defs.map((d) => d.collection) };
      },
      assertWritable,
      now,
    };
  }
}
