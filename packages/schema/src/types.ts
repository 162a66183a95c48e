/** Public types of @arangops/schema. */
import type { z } from 'zod';
import type { accessLevelSchema, indexSchema, profileSchema } from './model.js';

/** A validated profile, as declared (defaults are applied later, by the normaliser). */
export type Profile = z.infer<typeof profileSchema>;
export type DatabaseSpec = Profile['databases'][string];
export type CollectionSpec = DatabaseSpec['collections'][string];
export type IndexSpec = z.infer<typeof indexSchema>;
export type ViewSpec = DatabaseSpec['views'][string];
export type GraphSpec = DatabaseSpec['graphs'][string];
export type AnalyzerSpec = DatabaseSpec['analyzers'][string];
export type UserSpec = Profile['users'][string];
export type AccessLevel = z.infer<typeof accessLevelSchema>;

/** A loaded profile and where it came from (for messages). */
export interface LoadedProfile {
  dir: string;
  file: string;
  profile: Profile;
}

/** A comparable form: plain JSON with defaults applied, sorted where order is not significant. */
export type Canonical = Record<string, unknown>;

export type ServerRole = 'SINGLE' | 'COORDINATOR';

/** What inspection read from the server, already normalised; keyed like the profile. */
export interface LiveState {
  role: ServerRole;
  version: string;
  databases: Record<string, LiveDatabase | undefined>;
  users: Record<string, LiveUser | undefined>;
}

export interface LiveDatabase {
  collections: Record<string, LiveCollection>;
  analyzers: Record<string, Canonical>;
  views: Record<string, Canonical>;
  graphs: Record<string, Canonical>;
}

export interface LiveCollection {
  properties: Canonical;
  indexes: LiveIndex[];
}

export interface LiveIndex {
  /** Server-assigned id (`<collection>/<n>`), needed to drop it; never compared. */
  id: string;
  name: string;
  /** Type as the server reports it; `hash`/`skiplist`/`zkd`/`geo1`/`geo2` are legacy spellings. */
  reportedType: string;
  canonical: Canonical;
}

export interface LiveUser {
  active: boolean;
  extra: Record<string, unknown>;
  /** Explicit grants: database level and collection levels; `undefined` levels are left out. */
  grants: Record<string, { database?: AccessLevel; collections: Record<string, AccessLevel> }>;
}

/** How hard a difference is to reconcile; ordered from harmless to data-losing. */
export type DriftClass = 'additive' | 'mutable' | 'recreate' | 'destructive';
export type DriftChange = 'missing' | 'unexpected' | 'changed';
export type DriftKind =
  | 'database'
  | 'collection'
  | 'index'
  | 'view'
  | 'analyzer'
  | 'graph'
  | 'user'
  | 'grant';

export interface DriftItem {
  /** e.g. `codevaldcortex/collections/agents/indexes/idx_agents_status`, `users/arangops-exporter/grants/_system`. */
  path: string;
  kind: DriftKind;
  change: DriftChange;
  class: DriftClass;
  /** For `changed`: the differing fields only. For `missing`: the whole declaration. */
  declared?: unknown;
  live?: unknown;
  /** For `changed`: the names of the differing fields, sorted. */
  fields?: string[];
  /** Server id of the live index, so a planned drop can address it. */
  liveId?: string;
  message: string;
}

/** A legacy index type still in use: not drift, but it will stop working in ArangoDB 4.0. */
export interface Deprecation {
  path: string;
  type: string;
  message: string;
}

export interface SampleResult {
  database: string;
  collection: string;
  sampled: number;
  nonConforming: number;
}

export interface DriftReport {
  profile: string;
  server: { role: ServerRole; version: string };
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  items: DriftItem[];
  /** Items matched by an ignore glob; they do not count. */
  ignored: number;
  deprecations: Deprecation[];
  samples: SampleResult[];
  /** Item counts per class. */
  summary: Record<DriftClass, number>;
  /** False when the report holds an item at or above the fail-on class. */
  inSync: boolean;
  failOn: DriftClass;
}

export type ReportFormat = 'text' | 'json' | 'markdown' | 'junit';

export type BootstrapAction =
  | { op: 'createDatabase'; path: string; database: string }
  | { op: 'createAnalyzer'; path: string; database: string; name: string }
  /** Drop and create again; refused while views or inverted indexes use the analyzer. */
  | { op: 'replaceAnalyzer'; path: string; database: string; name: string }
  /** An undeclared analyzer (`--allow-destructive`); refused while in use. */
  | { op: 'dropAnalyzer'; path: string; database: string; name: string }
  | { op: 'createCollection'; path: string; database: string; name: string }
  | { op: 'updateCollection'; path: string; database: string; name: string; fields: string[] }
  | { op: 'createIndex'; path: string; database: string; collection: string; name: string }
  /** Index `id` replaced by the declared definition; on refusal the old definition is back. */
  | { op: 'replaceIndex'; path: string; database: string; collection: string; name: string; id: string }
  /** An undeclared index (`--allow-destructive`). */
  | { op: 'dropIndex'; path: string; database: string; collection: string; id: string }
  | { op: 'createView'; path: string; database: string; name: string }
  /** PATCH of the mutable properties and links that differ; nothing else is sent. */
  | { op: 'updateView'; path: string; database: string; name: string }
  /** Drop and create with the declared immutable properties; on refusal the old view is back. */
  | { op: 'replaceView'; path: string; database: string; name: string }
  /** An undeclared view (`--allow-destructive`). */
  | { op: 'dropView'; path: string; database: string; name: string }
  /** An undeclared link of a declared view, or (with `index`) an undeclared search-alias entry. */
  | { op: 'dropViewLink'; path: string; database: string; name: string; collection: string; index?: string }
  | { op: 'createGraph'; path: string; database: string; name: string }
  | { op: 'updateGraph'; path: string; database: string; name: string }
  /** An undeclared graph (`--allow-destructive`); its collections stay. */
  | { op: 'dropGraph'; path: string; database: string; name: string }
  | { op: 'createUser'; path: string; user: string }
  | { op: 'updateUser'; path: string; user: string }
  | {
      op: 'setGrant';
      path: string;
      user: string;
      database: string;
      collection?: string;
      level: AccessLevel | 'clear';
    };

export interface BootstrapPlan {
  actions: BootstrapAction[];
  /** Drift bootstrap may not fix without an opt-in flag (or never, like unexpected objects). */
  skipped: DriftItem[];
}

export interface BootstrapOptions {
  allowRecreate?: boolean;
  /** Drop undeclared indexes, views, view links, analyzers and graphs (never collections or databases). */
  allowDestructive?: boolean;
}

/**
 * A step the server refused (a definition that conflicts with what exists, a property it will not
 * change) or bootstrap refused (an analyzer still in use); the objects it touched are as before.
 */
export interface RefusedAction {
  action: BootstrapAction;
  errorNum: number;
  message: string;
}

export interface ApplyResult {
  applied: BootstrapAction[];
  refused: RefusedAction[];
}

export interface BootstrapResult {
  plan: BootstrapPlan;
  applied: BootstrapAction[];
  refused: RefusedAction[];
  dryRun: boolean;
  /** The drift check run after applying (or before, on a dry run). */
  report: DriftReport;
}
