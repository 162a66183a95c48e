/**
 * Executes a bootstrap plan. Every create call tolerates "already exists"
 * (another bootstrap may be running at the same time); nothing here trusts a
 * 200 answer to mean "as declared" — runBootstrap inspects again afterwards.
 */
import {
  type ArangoConnection,
  type ArangoServerError,
  isArangoServerError,
  type Logger,
} from '@arangops/core';
import { RefusalError, refuseAnalyzerInUse, replaceAnalyzer } from './apply-analyzers.js';
import { replaceIndex } from './apply-indexes.js';
import { replaceView, updateView } from './apply-views.js';
import { type ArangoHttp, arangoHttp, ERRORS, type Json } from './arango-http.js';
import { deepEqual } from './json.js';
import { CLUSTER_COLLECTION_KEYS, normaliseGraph } from './normalise.js';
import { resolvePassword } from './passwords.js';
import type {
  ApplyResult,
  BootstrapAction,
  BootstrapPlan,
  CollectionSpec,
  DatabaseSpec,
  IndexSpec,
  Profile,
  RefusedAction,
} from './types.js';

export interface ApplyOptions {
  logger?: Logger;
  /** Where password sources named `env` are read. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Collections with at least this many documents get indexes built in the background. Default 100000. */
  backgroundIndexThreshold?: number;
  /** Version the server reported; 3.11 knows multi-dimensional indexes only as `zkd`. */
  serverVersion?: string;
}

const DEFAULT_BACKGROUND_THRESHOLD = 100_000;

export async function applyBootstrap(
  connection: ArangoConnection,
  profile: Profile,
  plan: BootstrapPlan,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const http = arangoHttp(connection);
  // Resolve every password first: a missing one must fail before anything is changed.
  const passwords = await resolvePasswords(profile, plan, options.env);
  const applied: BootstrapAction[] = [];
  const refused: RefusedAction[] = [];
  const refusedPaths = new Set<string>();
  for (const action of plan.actions) {
    // A later step on an object whose earlier step was refused would build on a state that is not there.
    if (refusedPaths.has(action.path)) continue;
    options.logger?.info({ op: action.op, path: action.path }, 'bootstrap action');
    try {
      await execute(http, profile, action, passwords, options);
      applied.push(action);
    } catch (e) {
      const refusal = refusalOf(action, e);
      if (!refusal) throw e;
      // The rest of the plan still applies; the objects this step touched are as before, and the
      // final inspection reports the drift that remains.
      options.logger?.warn(
        { op: action.op, path: action.path, errorNum: refusal.errorNum, err: refusal.message },
        'bootstrap action refused',
      );
      refused.push({ action, ...refusal });
      refusedPaths.add(action.path);
    }
  }
  return { applied, refused };
}

/** Error numbers that mean "this definition conflicts with what exists", not "the server is broken". */
const DEFINITION_REFUSALS = [
  ERRORS.badParameter,
  ERRORS.duplicateIdentifier,
  ERRORS.uniqueConstraintViolated,
  ERRORS.indexCreationFailed,
];
/** Refusals per step; a step not listed here fails the run on any error. */
const REFUSALS: Partial<Record<BootstrapAction['op'], readonly number[]>> = {
  createIndex: DEFINITION_REFUSALS,
  replaceIndex: DEFINITION_REFUSALS,
  createAnalyzer: DEFINITION_REFUSALS,
  replaceAnalyzer: [...DEFINITION_REFUSALS, ERRORS.conflict],
  dropAnalyzer: [ERRORS.conflict],
  createView: [...DEFINITION_REFUSALS, ERRORS.dataSourceNotFound],
  replaceView: [...DEFINITION_REFUSALS, ERRORS.dataSourceNotFound],
  updateView: [...DEFINITION_REFUSALS, ERRORS.dataSourceNotFound],
  createGraph: DEFINITION_REFUSALS,
  // A follower of distributeShardsLike, a satellite or a OneShard collection keeps its replication:
  // the server answers forbidden (11) or not implemented (9, 1470).
  updateCollection: [ERRORS.badParameter, ERRORS.forbidden, ERRORS.notImplemented, ERRORS.clusterUnsupported],
};

function refusalOf(action: BootstrapAction, e: unknown): Omit<RefusedAction, 'action'> | undefined {
  if (e instanceof RefusalError) return { errorNum: e.errorNum, message: e.message };
  if (!(REFUSALS[action.op] ?? []).some((n) => isArangoServerError(e, n))) return undefined;
  const { errorNum, message } = e as ArangoServerError;
  return { errorNum, message };
}

async function tolerate<T>(errorNums: readonly number[], fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (errorNums.some((n) => isArangoServerError(e, n))) return undefined;
    throw e;
  }
}

function dbSpec(profile: Profile, database: string): DatabaseSpec {
  const spec = profile.databases[database];
  if (!spec) throw new Error(`database ${database} is not in the profile`);
  return spec;
}

async function execute(
  http: ArangoHttp,
  profile: Profile,
  action: BootstrapAction,
  passwords: Map<string, string>,
  options: ApplyOptions,
): Promise<void> {
  const seg = (s: string) => encodeURIComponent(s);
  switch (action.op) {
    case 'createDatabase': {
      const spec = dbSpec(profile, action.database);
      await tolerate([ERRORS.duplicateName], () =>
        http.request('_system', 'POST', '/_api/database', {
          name: action.database,
          ...(spec.options ? { options: spec.options } : {}),
        }),
      );
      return;
    }
    case 'createAnalyzer': {
      const a = dbSpec(profile, action.database).analyzers[action.name]!;
      await http.request(action.database, 'POST', '/_api/analyzer', {
        name: action.name,
        type: a.type,
        properties: a.properties ?? {},
        features: a.features ?? [],
      });
      return;
    }
    case 'replaceAnalyzer':
      await replaceAnalyzer(http, profile, action.database, action.name);
      return;
    case 'dropAnalyzer':
      await refuseAnalyzerInUse(http, action.database, action.name);
      // Never `force`: the server then keeps its own in-use check as a second guard.
      await tolerate([ERRORS.documentNotFound], () =>
        http.request(action.database, 'DELETE', `/_api/analyzer/${seg(action.name)}`),
      );
      return;
    case 'createCollection': {
      const c = dbSpec(profile, action.database).collections[action.name]!;
      await tolerate([ERRORS.duplicateName], () =>
        http.request(action.database, 'POST', '/_api/collection', {
          name: action.name,
          ...collectionBody(c),
        }),
      );
      return;
    }
    case 'updateCollection': {
      const c = dbSpec(profile, action.database).collections[action.name]!;
      const body = collectionBody(c);
      const update = Object.fromEntries(action.fields.map((f) => [f, body[f] ?? null]));
      await http.request(action.database, 'PUT', `/_api/collection/${seg(action.name)}/properties`, update);
      return;
    }
    case 'createIndex': {
      const spec = declaredIndex(profile, action.database, action.collection, action.name);
      // 1207: a concurrent bootstrap is creating the same index.
      await tolerate([ERRORS.duplicateName], async () =>
        http.request(
          action.database,
          'POST',
          '/_api/index',
          indexBody(
            spec,
            await inBackground(http, spec, action.database, action.collection, options),
            options.serverVersion,
          ),
          { collection: action.collection },
        ),
      );
      return;
    }
    case 'replaceIndex': {
      const spec = declaredIndex(profile, action.database, action.collection, action.name);
      const background = await inBackground(http, spec, action.database, action.collection, options);
      await replaceIndex(http, action, indexBody(spec, background, options.serverVersion));
      return;
    }
    case 'dropIndex':
      await tolerate([ERRORS.indexNotFound], () =>
        http.request(action.database, 'DELETE', `/_api/index/${action.id}`),
      );
      return;
    case 'createView': {
      const v = dbSpec(profile, action.database).views[action.name]!;
      await tolerate([ERRORS.duplicateName], () =>
        http.request(action.database, 'POST', '/_api/view', { name: action.name, ...v }),
      );
      return;
    }
    case 'updateView':
      await updateView(http, profile, action.database, action.name);
      return;
    case 'replaceView':
      await replaceView(http, profile, action.database, action.name);
      return;
    case 'dropView':
      await tolerate([ERRORS.dataSourceNotFound], () =>
        http.request(action.database, 'DELETE', `/_api/view/${seg(action.name)}`),
      );
      return;
    case 'dropViewLink': {
      const body = action.index
        ? { indexes: [{ collection: action.collection, index: action.index, operation: 'del' }] }
        : { links: { [action.collection]: null } };
      await http.request(action.database, 'PATCH', `/_api/view/${seg(action.name)}/properties`, body);
      return;
    }
    case 'createGraph': {
      const g = dbSpec(profile, action.database).graphs[action.name]!;
      await tolerate([ERRORS.graphDuplicate], () =>
        http.request(action.database, 'POST', '/_api/gharial', {
          name: action.name,
          edgeDefinitions: g.edgeDefinitions,
          orphanCollections: g.orphanCollections ?? [],
        }),
      );
      return;
    }
    case 'updateGraph':
      await updateGraph(http, profile, action.database, action.name);
      return;
    case 'dropGraph':
      await tolerate([ERRORS.graphNotFound], () =>
        http.request(action.database, 'DELETE', `/_api/gharial/${seg(action.name)}`, undefined, {
          dropCollections: 'false',
        }),
      );
      return;
    case 'createUser': {
      const u = profile.users[action.user]!;
      const body = {
        user: action.user,
        passwd: passwords.get(action.user),
        active: u.active ?? true,
        ...(u.extra ? { extra: u.extra } : {}),
      };
      const created = await tolerate([ERRORS.userDuplicate], () =>
        http.request('_system', 'POST', '/_api/user', body),
      );
      if (!created) await patchUser(http, profile, action.user);
      return;
    }
    case 'updateUser':
      await patchUser(http, profile, action.user);
      return;
    case 'setGrant': {
      const base = `/_api/user/${seg(action.user)}/database/${seg(action.database)}`;
      const path = action.collection ? `${base}/${seg(action.collection)}` : base;
      await http.request('_system', 'PUT', path, { grant: action.level });
      return;
    }
  }
}

async function patchUser(http: ArangoHttp, profile: Profile, user: string): Promise<void> {
  const u = profile.users[user]!;
  await http.request('_system', 'PATCH', `/_api/user/${encodeURIComponent(user)}`, {
    active: u.active ?? true,
    ...(u.extra ? { extra: u.extra } : {}),
  });
}

function declaredIndex(profile: Profile, database: string, collection: string, name: string): IndexSpec {
  return dbSpec(profile, database).collections[collection]!.indexes.find((i) => i.name === name)!;
}

/** Declared, or on when the collection holds many documents (no exclusive lock while building). */
async function inBackground(
  http: ArangoHttp,
  spec: IndexSpec,
  database: string,
  collection: string,
  options: ApplyOptions,
): Promise<boolean> {
  if (spec.inBackground !== undefined) return spec.inBackground;
  const body = await http.get(database, `/_api/collection/${encodeURIComponent(collection)}/count`);
  return Number(body.count ?? 0) >= (options.backgroundIndexThreshold ?? DEFAULT_BACKGROUND_THRESHOLD);
}

/** The creation body of a collection: declared properties in the server's request shape. */
export function collectionBody(c: CollectionSpec): Json {
  const body: Json = {
    type: c.type === 'edge' ? 3 : 2,
    waitForSync: c.waitForSync ?? false,
    cacheEnabled: c.cacheEnabled ?? false,
    schema: c.schema
      ? {
          rule: c.schema.rule,
          level: c.schema.level ?? 'strict',
          ...(c.schema.message ? { message: c.schema.message } : {}),
        }
      : null,
    computedValues: c.computedValues ?? null,
  };
  if (c.keyOptions) body.keyOptions = c.keyOptions;
  for (const key of CLUSTER_COLLECTION_KEYS) {
    if (c[key] !== undefined) body[key] = c[key];
  }
  return body;
}

export function indexBody(spec: IndexSpec, inBackground: boolean, serverVersion = ''): Json {
  const { inBackground: _declared, ...rest } = spec;
  const type = spec.type === 'mdi' && serverVersion.startsWith('3.11.') ? 'zkd' : spec.type;
  // ArangoDB requires fieldValueTypes on multi-dimensional indexes; "double" is the only value.
  const mdi = spec.type === 'mdi' || spec.type === 'mdi-prefixed' ? { fieldValueTypes: 'double' } : {};
  return { ...rest, ...mdi, type, ...(inBackground ? { inBackground: true } : {}) };
}

/** Brings a graph's edge definitions and orphans to the declaration without dropping any collection. */
async function updateGraph(
  http: ArangoHttp,
  profile: Profile,
  database: string,
  name: string,
): Promise<void> {
  const declared = normaliseGraph(dbSpec(profile, database).graphs[name]!) as {
    edgeDefinitions: { collection: string; from: string[]; to: string[] }[];
    orphanCollections: string[];
  };
  const base = `/_api/gharial/${encodeURIComponent(name)}`;
  const body = await http.get(database, base);
  const live = normaliseGraph((body.graph ?? {}) as Json) as typeof declared;
  const liveDefs = new Map(live.edgeDefinitions.map((d) => [d.collection, d]));
  for (const def of declared.edgeDefinitions) {
    const current = liveDefs.get(def.collection);
    if (!current) await http.request(database, 'POST', `${base}/edge`, def);
    else if (!deepEqual(current, def)) {
      await http.request(database, 'PUT', `${base}/edge/${encodeURIComponent(def.collection)}`, def, {
        dropCollections: 'false',
      });
    }
  }
  const declaredEdges = new Set(declared.edgeDefinitions.map((d) => d.collection));
  for (const def of live.edgeDefinitions) {
    if (!declaredEdges.has(def.collection)) {
      await http.request(
        database,
        'DELETE',
        `${base}/edge/${encodeURIComponent(def.collection)}`,
        undefined,
        { dropCollections: 'false' },
      );
    }
  }
  // Edge definition changes move vertex collections in and out of the orphans: read again.
  const after = normaliseGraph(((await http.get(database, base)).graph ?? {}) as Json) as typeof declared;
  for (const orphan of declared.orphanCollections) {
    if (!after.orphanCollections.includes(orphan)) {
      await tolerate([ERRORS.graphCollectionUsedInEdgeDef], () =>
        http.request(database, 'POST', `${base}/vertex`, { collection: orphan }),
      );
    }
  }
  for (const orphan of after.orphanCollections) {
    if (!declared.orphanCollections.includes(orphan)) {
      await tolerate([ERRORS.graphNotInOrphans], () =>
        http.request(database, 'DELETE', `${base}/vertex/${encodeURIComponent(orphan)}`, undefined, {
          dropCollection: 'false',
        }),
      );
    }
  }
}

/** The password of every user the plan creates, from the sources the profile names; throws InputError naming the first missing one. */
export async function resolvePasswords(
  profile: Profile,
  plan: BootstrapPlan,
  env?: NodeJS.ProcessEnv,
): Promise<Map<string, string>> {
  const passwords = new Map<string, string>();
  for (const action of plan.actions) {
    if (action.op === 'createUser') {
      passwords.set(action.user, await resolvePassword(action.user, profile.users[action.user]!, env));
    }
  }
  return passwords;
}
