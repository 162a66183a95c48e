/**
 * Where the integration tests run: the simulator by default, or a real
 * ArangoDB when ARANGO_URL is set (ARANGO_USERNAME / ARANGO_PASSWORD). On a
 * real server nothing can be reset, so each target gets its own database and
 * user names (a random suffix) and drops them when stopped.
 */
import { randomBytes } from 'node:crypto';
import { type Simulator, startSimulator } from '@arangops/arangodb-sim';
import { type ArangoConnection, arangoConfigSchema, createArangoConnection } from '@arangops/core';
import type { Database } from 'arangojs';
import type { LoadedProfile, Profile } from '../types.js';

export interface TargetSpec {
  mode: 'single' | 'cluster';
  version: '3.11.14' | '3.12.10';
}

export interface Target {
  label: string;
  /** Counts write requests (anything but GET) made through it. */
  connection: ArangoConnection;
  /** An unwrapped connection for test setup, so its writes are not counted. */
  admin: ArangoConnection;
  writes(): number;
  resetWrites(): void;
  /** The simulator, when the target is one (its request log is a second witness). */
  sim?: Simulator;
  /** Database and user names made unique for this target. */
  scope(profile: LoadedProfile): LoadedProfile;
  /** Name of a declared database or user inside this target. */
  name(declared: string): string;
  stop(): Promise<void>;
}

export const REAL_SERVER = process.env.ARANGO_URL;

/** Simulator targets, or the one real server. */
export function targetSpecs(): Array<TargetSpec & { label: string }> {
  if (REAL_SERVER) return [{ label: `real ArangoDB at ${REAL_SERVER}`, mode: 'single', version: '3.12.10' }];
  return (['single', 'cluster'] as const).flatMap((mode) =>
    (['3.11.14', '3.12.10'] as const).map((version) => ({ label: `${mode} ${version}`, mode, version })),
  );
}

export async function startTarget(spec: TargetSpec): Promise<Target> {
  const sim = REAL_SERVER
    ? undefined
    : await startSimulator({ mode: spec.mode, version: spec.version, auth: false });
  const url = REAL_SERVER ?? sim!.url;
  const config = arangoConfigSchema.parse({
    url: url.split(',').map((u) => u.trim()),
    username: process.env.ARANGO_USERNAME ?? 'root',
    password: process.env.ARANGO_PASSWORD ?? '',
    retries: { max: 2, baseDelayMs: 20, maxDelayMs: 100 },
  });
  const admin = createArangoConnection(config);
  const inner = createArangoConnection(config);
  let writes = 0;
  const suffix = REAL_SERVER ? `_t${randomBytes(4).toString('hex')}` : '';
  // Every scoped name handed out is dropped on stop, as a database and as a user (whichever it is).
  const handedOut = new Set<string>();
  const name = (declared: string) => {
    if (declared === '_system' || !suffix) return declared;
    handedOut.add(`${declared}${suffix}`);
    return `${declared}${suffix}`;
  };

  const connection: ArangoConnection = {
    endpoints: inner.endpoints,
    withRetry: (label, fn) => inner.withRetry(label, fn),
    // Reads only (metrics pages): no writes to count.
    requestBytes: (request) => inner.requestBytes(request),
    close: () => inner.close(),
    database: (db) => countWrites(inner.database(db), () => writes++),
  };
  return {
    label: REAL_SERVER ? 'real' : `${spec.mode} ${spec.version}`,
    connection,
    admin,
    sim,
    writes: () => writes,
    resetWrites: () => {
      writes = 0;
      sim?.state.clearRequestLog();
    },
    name,
    scope(loaded) {
      if (!suffix) return loaded;
      const p = loaded.profile;
      const profile: Profile = {
        ...p,
        databases: Object.fromEntries(Object.entries(p.databases).map(([db, spec]) => [name(db), spec])),
        users: Object.fromEntries(
          Object.entries(p.users).map(([user, spec]) => [
            name(user),
            {
              ...spec,
              grants: Object.fromEntries(Object.entries(spec.grants).map(([db, g]) => [name(db), g])),
            },
          ]),
        ),
      };
      return { ...loaded, profile };
    },
    async stop() {
      if (REAL_SERVER) {
        const system = admin.database('_system');
        for (const value of handedOut) {
          await system.dropDatabase(value).catch(() => undefined);
          await system.removeUser(value).catch(() => undefined);
        }
      }
      admin.close();
      inner.close();
      await sim?.stop();
    },
  };
}

/** Wraps a Database so every `route().request()` that is not a GET is counted. */
function countWrites(db: Database, count: () => void): Database {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'route') return Reflect.get(target, prop, receiver);
      return (...args: Parameters<Database['route']>) => {
        const route = target.route(...args);
        return new Proxy(route, {
          get(r, p, rr) {
            if (p !== 'request') return Reflect.get(r, p, rr);
            return (options?: { method?: string }) => {
              if ((options?.method ?? 'GET').toUpperCase() !== 'GET') count();
              return r.request(options);
            };
          },
        });
      };
    },
  });
}

/** Passwords for the shipped profile's users. */
export const PROFILE_PASSWORDS = {
  ARANGOPS_USER_EXPORTER_PASSWORD: 'exporter-test-password',
  ARANGOPS_USER_BACKUP_PASSWORD: 'backup-test-password',
  ARANGOPS_USER_VERIFY_PASSWORD: 'verify-test-password',
};
