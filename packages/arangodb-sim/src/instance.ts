import { randomBytes } from 'node:crypto';
import { SimError } from './aql/host.js';
import { executeQuery, parseQuery } from './aql/index.js';
import { clusterMembers } from './cluster/topology.js';
import type { Ctx } from './http/context.js';
import { IdSource } from './ids.js';
import type { CollectionProps, ComputedValue, KeyOptions } from './storage/collection.js';
import { Database, type DatabaseOptions, isValidCollectionName } from './storage/database.js';
import { errors } from './storage/errors.js';
import { type Level, UserStore } from './storage/users.js';
import { SchemaValidator } from './storage/validation.js';
import type { AuthOptions, ClusterMember, DeploymentMode, MemberStatus } from './types.js';
import type { VersionInfo } from './version.js';

const DB_NAME = /^[^/:\s][^/:]{0,127}$/u;

const RANK: Record<Level, number> = { none: 0, ro: 1, rw: 2 };

/** The whole simulated server (or coordinator): databases, users, topology, clocks. */
export class Instance {
  readonly databases = new Map<string, Database>();
  readonly users = new UserStore();
  readonly ids: IdSource;
  readonly members: ClusterMember[];
  readonly memberStatus = new Map<string, MemberStatus>();
  /** When each member was marked FAILED (simulator clock). */
  readonly failedSince = new Map<string, number>();
  /** FAILED members whose failover was completed by hand. */
  readonly failoverDone = new Set<string>();
  /** See SimulatorOptions.failoverDelayMs. */
  failoverDelayMs = 15_000;
  /** Until when (simulator clock) the supervision is in maintenance mode; it reactivates itself then. */
  maintenanceUntil: number | undefined;
  /** Server prefix of globallyUniqueIds, like `h5C3DDE5391BF`. */
  readonly serverPrefix: string;
  readonly startedAt: number;
  readonly jwtSecret: string;
  readonly authEnabled: boolean;
  metricsScrapes = 0;

  constructor(
    readonly version: VersionInfo,
    readonly mode: DeploymentMode,
    readonly clock: () => number,
    auth: AuthOptions | false,
    port: number,
  ) {
    this.ids = new IdSource(clock);
    this.startedAt = clock();
    this.serverPrefix = `h${randomBytes(6).toString('hex').toUpperCase()}`;
    this.members = mode === 'cluster' ? clusterMembers(port) : [];
    this.authEnabled = auth !== false;
    this.jwtSecret = (auth ? auth.jwtSecret : undefined) || randomBytes(32).toString('hex');
    const root = auth ? (auth.users?.root ?? '') : '';
    const rootRec = this.users.create('root', root);
    rootRec.databases.set('*', 'rw');
    rootRec.collections.set('*/*', 'rw');
    if (auth) {
      for (const [user, pw] of Object.entries(auth.users ?? {})) {
        if (user !== 'root') this.users.create(user, pw);
      }
    }
    this.createDatabase('_system', {});
  }

  /** Sets a member's health; a DB-Server turning FAILED starts its failover clock. */
  setMemberStatus(id: string, status: MemberStatus): void {
    if (status === 'FAILED' && this.memberStatus.get(id) !== 'FAILED') this.failedSince.set(id, this.clock());
    if (status !== 'FAILED') {
      this.failedSince.delete(id);
      this.failoverDone.delete(id);
    }
    if (status === 'GOOD') this.memberStatus.delete(id);
    else this.memberStatus.set(id, status);
  }

  /** Whether leadership of a FAILED member's shards has moved to followers. */
  failedOver(id: string): boolean {
    const since = this.failedSince.get(id);
    // The supervision starts no failover while it is in maintenance mode.
    const automatic =
      since !== undefined &&
      this.supervisionMode === 'Normal' &&
      this.clock() - since >= this.failoverDelayMs;
    return this.failoverDone.has(id) || automatic;
  }

  /** Supervision/State/Mode as the agency reports it. */
  get supervisionMode(): 'Normal' | 'Maintenance' {
    return this.maintenanceUntil !== undefined && this.clock() < this.maintenanceUntil
      ? 'Maintenance'
      : 'Normal';
  }

  clearMemberStatus(): void {
    this.maintenanceUntil = undefined;
    this.memberStatus.clear();
    this.failedSince.clear();
    this.failoverDone.clear();
  }

  get cluster(): boolean {
    return this.mode === 'cluster';
  }

  createDatabase(name: unknown, options: Record<string, unknown>): Database {
    if (typeof name !== 'string' || !DB_NAME.test(name) || (name.startsWith('_') && name !== '_system')) {
      throw errors.illegalName();
    }
    if (this.databases.has(name)) throw errors.duplicateName();
    const sharding = options.sharding === 'single' || options.sharding === 'flexible' ? options.sharding : '';
    const dbOptions: DatabaseOptions = {
      sharding,
      replicationFactor:
        options.replicationFactor === 'satellite'
          ? 'satellite'
          : typeof options.replicationFactor === 'number'
            ? options.replicationFactor
            : 1,
      writeConcern: typeof options.writeConcern === 'number' ? options.writeConcern : 1,
    };
    const id = name === '_system' ? '1' : String(this.ids.tick());
    let db: Database | undefined;
    // `@doc` is optional in a computed value (`RETURN DATE_NOW()`), and binding an undeclared parameter is 1552.
    const usesDoc = new Map<string, boolean>();
    const evaluate = (expression: string, doc: Record<string, unknown>): unknown => {
      if (!db) return null;
      const host = db.host(() => {}, this.clock, this.version.full);
      let declared = usesDoc.get(expression);
      if (declared === undefined) {
        declared = parseQuery(expression).bindVars.includes('doc');
        usesDoc.set(expression, declared);
      }
      const bindVars = declared ? { doc } : {};
      return executeQuery(host, expression, bindVars).result[0] ?? null;
    };
    db = new Database(name, id, dbOptions, this.ids, this.serverPrefix, evaluate, (n) =>
      // --cluster.system-replication-factor defaults to 2.
      this.collectionProps(
        { name: n, isSystem: true, replicationFactor: this.cluster ? 2 : undefined },
        dbOptions,
        true,
      ),
    );
    this.databases.set(name, db);
    return db;
  }

  /** Validates a create-collection request and fills in server defaults. */
  collectionProps(
    req: Record<string, unknown>,
    db: DatabaseOptions,
    allowSystem = req.isSystem === true,
  ): CollectionProps {
    if (!isValidCollectionName(req.name, allowSystem)) throw errors.illegalName();
    const type = req.type === 3 || req.type === 'edge' ? 3 : 2;
    if (req.type !== undefined && ![2, 3, 'edge', 'document'].includes(req.type as never)) {
      throw errors.collectionTypeInvalid();
    }
    const ko = (req.keyOptions ?? {}) as Record<string, unknown>;
    const kType = (ko.type ?? 'traditional') as KeyOptions['type'];
    if (!['traditional', 'autoincrement', 'uuid', 'padded'].includes(kType)) {
      throw new SimError(400, 1232, 'invalid key generator specified');
    }
    if (this.cluster && kType === 'autoincrement' && Number(req.numberOfShards ?? 1) > 1) {
      throw new SimError(
        501,
        1470,
        'the specified key generator is not supported for collections with more than one shard',
      );
    }
    const keyOptions: KeyOptions = { type: kType, allowUserKeys: ko.allowUserKeys !== false, lastValue: 0 };
    if (kType === 'autoincrement') {
      keyOptions.increment = typeof ko.increment === 'number' ? ko.increment : 1;
      keyOptions.offset = typeof ko.offset === 'number' ? ko.offset : 0;
    }
    const props: CollectionProps = {
      name: req.name,
      type,
      isSystem: req.name.startsWith('_'),
      waitForSync: req.waitForSync === true,
      cacheEnabled: req.cacheEnabled === true,
      keyOptions,
      schema: SchemaValidator.from(req.schema),
      computedValues: parseComputedValues(req.computedValues),
    };
    if (this.cluster) {
      const oneShard = db.sharding === 'single' && req.name !== '_graphs';
      const numberOfShards = oneShard ? 1 : typeof req.numberOfShards === 'number' ? req.numberOfShards : 1;
      const replicationFactor =
        req.replicationFactor === 'satellite'
          ? 'satellite'
          : typeof req.replicationFactor === 'number'
            ? req.replicationFactor
            : db.replicationFactor;
      const dbServers = this.members.filter((m) => m.role === 'DBServer').length;
      if (typeof replicationFactor === 'number' && replicationFactor > dbServers) {
        throw new SimError(500, 1487, 'insufficient number of DBServers');
      }
      props.sharding = {
        numberOfShards,
        replicationFactor,
        writeConcern:
          replicationFactor === 'satellite'
            ? 0
            : typeof req.writeConcern === 'number'
              ? req.writeConcern
              : db.writeConcern,
        shardKeys: Array.isArray(req.shardKeys) ? (req.shardKeys as string[]) : ['_key'],
        shardingStrategy: typeof req.shardingStrategy === 'string' ? req.shardingStrategy : 'hash',
        shards: Array.from({ length: numberOfShards }, () => `s${this.ids.tick()}`),
      };
      const dsl =
        typeof req.distributeShardsLike === 'string'
          ? req.distributeShardsLike
          : oneShard
            ? '_graphs'
            : undefined;
      if (dsl) props.sharding.distributeShardsLike = dsl;
    }
    return props;
  }

  /** Database-level gate run for every request: 401 without access, 404/1228 for superusers on a missing DB. */
  checkDatabase(ctx: Ctx): void {
    const exists = this.databases.has(ctx.dbName);
    if (!this.authEnabled || ctx.superuser) {
      if (!exists) throw errors.databaseNotFound();
      return;
    }
    const user = ctx.user ?? '';
    const level = this.users.databaseLevel(user, ctx.dbName);
    if (level === 'none') throw errors.unauthorized();
    if (!exists) throw errors.databaseNotFound();
  }

  isAdmin(ctx: Ctx): boolean {
    if (!this.authEnabled || ctx.superuser) return true;
    return this.users.databaseLevel(ctx.user ?? '', '_system') === 'rw';
  }

  assertAccess(ctx: Ctx, need: 'ro' | 'rw', collection?: string): void {
    if (!this.authEnabled || ctx.superuser) return;
    const user = ctx.user ?? '';
    const level = collection
      ? this.users.collectionLevel(user, ctx.dbName, collection)
      : this.users.databaseLevel(user, ctx.dbName);
    if (RANK[level] >= RANK[need]) return;
    if (need === 'rw' && level === 'ro') throw errors.readOnly();
    throw errors.forbidden();
  }

  /** Database administration (collections, indexes, views…) needs rw on the database. */
  assertAdmin(ctx: Ctx): void {
    if (!this.authEnabled || ctx.superuser) return;
    if (this.users.databaseLevel(ctx.user ?? '', ctx.dbName) !== 'rw') throw errors.forbidden();
  }

  /** Runs the TTL sweep over every collection. */
  runTtl(): number {
    const now = this.clock();
    let removed = 0;
    for (const db of this.databases.values())
      for (const c of db.collections.values()) removed += c.expire(now);
    return removed;
  }
}

function parseComputedValues(v: unknown): ComputedValue[] | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v)) throw errors.badParameter('computedValues must be an array');
  if (v.length === 0) return null;
  return v.map((e) => {
    const cv = e as Record<string, unknown>;
    if (typeof cv.name !== 'string' || typeof cv.expression !== 'string') {
      throw errors.badParameter('invalid computed value definition');
    }
    return {
      name: cv.name,
      expression: cv.expression,
      computeOn: (Array.isArray(cv.computeOn)
        ? cv.computeOn
        : ['insert', 'update', 'replace']) as ComputedValue['computeOn'],
      overwrite: cv.overwrite === true,
      keepNull: cv.keepNull !== false,
      failOnWarning: cv.failOnWarning === true,
    };
  });
}
