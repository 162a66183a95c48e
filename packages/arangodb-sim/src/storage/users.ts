import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors } from './errors.js';

export type Level = 'rw' | 'ro' | 'none';

export interface UserRecord {
  user: string;
  active: boolean;
  extra: Record<string, unknown>;
  /** Salted SHA-256: the clear password is never kept, so state dumps cannot leak it. */
  salt: Buffer;
  hash: Buffer;
  databases: Map<string, Level>;
  /** Keyed `<db>/<collection>`; `*` entries are wildcards. */
  collections: Map<string, Level>;
}

function digest(salt: Buffer, password: string): Buffer {
  return createHash('sha256').update(salt).update(password).digest();
}

export function isLevel(v: unknown): v is Level {
  return v === 'rw' || v === 'ro' || v === 'none';
}

/** Users and grants, global to the server like the `_users` collection. */
export class UserStore {
  readonly users = new Map<string, UserRecord>();

  create(user: string, password: string, active = true, extra: Record<string, unknown> = {}): UserRecord {
    if (this.users.has(user)) throw errors.userDuplicate();
    const salt = randomBytes(16);
    const rec: UserRecord = {
      user,
      active,
      extra,
      salt,
      hash: digest(salt, password),
      databases: new Map(),
      collections: new Map(),
    };
    this.users.set(user, rec);
    return rec;
  }

  get(user: string): UserRecord {
    const u = this.users.get(user);
    if (!u) throw errors.userNotFound();
    return u;
  }

  setPassword(rec: UserRecord, password: string): void {
    rec.hash = digest(rec.salt, password);
  }

  verify(user: string, password: string): boolean {
    const u = this.users.get(user);
    if (!u?.active) return false;
    return timingSafeEqual(u.hash, digest(u.salt, password));
  }

  /** Effective database level: explicit grant, else the `*` wildcard, else none. */
  databaseLevel(user: string, db: string): Level {
    const u = this.users.get(user);
    if (!u) return 'none';
    return u.databases.get(db) ?? u.databases.get('*') ?? 'none';
  }

  /** Effective collection level: collection grant, db wildcard collection, `*` db, else the database level. */
  collectionLevel(user: string, db: string, collection: string): Level {
    const u = this.users.get(user);
    if (!u) return 'none';
    return (
      u.collections.get(`${db}/${collection}`) ??
      u.collections.get(`${db}/*`) ??
      u.collections.get(`*/*`) ??
      this.databaseLevel(user, db)
    );
  }
}
