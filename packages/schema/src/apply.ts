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
  for (const action of plan.actions) {
    options.logger?.info({ op: action.op, path: action.path }, 'bootstrap action');
    try {
      await execute(http, profile, action, passwords, options);
      applied.push(action);
    } catch (e) {
      if (!CREATES.has(action.op) || !REFUSALS.some((n) => isArangoServerError(e, n))) throw e;
      // The server refused a definition (a second TTL index, a taken name, duplicates under a
      // unique index): the rest of the plan still applies, and the final inspection reports it.
      const { errorNum, message } = e as ArangoServerError;
      options.logger?.warn(
        { op: action.op, path: action.path, errorNum, err: message },
        'bootstrap action refused',
      );
      refused.push({ action, errorNum, message });
    }
  }
  return { applied, refused };
}

/** Error numbers that mean "this definition conflicts with what exists", not "the server is broken". */
const REFUSALS = [
  ERRORS.badParameter,
  ERRORS.duplicateIdentifier,
  ERRORS.uniqueConstraintViolated,
  ERRORS.indexCreationFailed,
];
const CREATES: ReadonlySet<BootstrapAction['op']> = new Set([
  'createIndex',
  'createAnalyzer',
  'createView',
  'createGraph',
]);

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
    case 'dropAnalyzer':
      await tolerate([ERRORS.documentNotFound], () =>
        http.request(action.database, 'DELETE', `/_api/analyzer/${seg(action.name)}`, undefined, {
          force: 'true',
        }),
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
      const spec = dbSpec(profile, action.database).collections[action.collection]!.indexes.find(
        (i) => i.name === action.name,
      )!;
      const inBackground =
        spec.inBackground ?? (await isLarge(http, action.database, action.collection, options));
      // 1207: a concurrent bootstrap is creating the same index.
      await tolerate([ERRORS.duplicateName], () =>
        http.request(
          action.database,
          'POST',
          '/_api/index',
          indexBody(spec, inBackground, options.serverVersion),
          {
            collection: action.collection,
          },
        ),
      );
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
    case 'updateView': {
      const { type: _t, ...props } = dbSpec(profile, action.database).views[action.name]!;
      await http.request(action.database, 'PUT', `/_api/view/${seg(action.name)}/properties`, props);
      return;
    }
    case 'dropView':
      await tolerate([ERRORS.dataSourceNotFound], () =>
        http.request(action.database, 'DELETE', `/_api/view/${seg(action.name)}`),
      );
      return;
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

async function isLarge(
  http: ArangoHttp,
  database: string,
  collection: string,
  options: ApplyOptions,
): Promise<boolean> {
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
  return { ...rest, type, ...(inBackground ? { inBackground: true } : {}) };
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
