/**
 * One verifier at a time per target: a lease document with a fixed key in the
 * lease database. Taking it is an insert (the unique key makes it atomic);
 * a lease past its expiry is taken over with a revision precondition; the
 * holder renews it while it works and removes it when done.
 */
import { hostname } from 'node:os';
import {
  type ArangoConnection,
  ArangopsError,
  EXIT_CODES,
  isArangoServerError,
  toArangopsError,
} from '@arangops/core';
import { DEFAULT_LEASE_TTL_MS } from './config.js';
import { ensureLeaseDatabase, ignoring, LEASE_COLLECTION, LEASE_DATABASE } from './scratch.js';

const LEASE_KEY = 'verify';
const UNIQUE_CONSTRAINT = 1210;
const CONFLICT = 1200;
const DOCUMENT_NOT_FOUND = 1202;

export interface LeaseInfo {
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

/** Another verifier holds the lease: the run stops with exit 3, naming it. */
export class LockHeldError extends ArangopsError {
  override name = 'LockHeldError';
  override readonly exitCode = EXIT_CODES.unavailable;
  constructor(readonly lease: LeaseInfo) {
    super(
      `another verifier holds the lock: ${lease.holder} since ${lease.acquiredAt} (lease expires ${lease.expiresAt})`,
    );
  }
}

export interface Lease {
  holder: string;
  release(): Promise<void>;
}

export interface LeaseOptions {
  ttlMs?: number;
  holder?: string;
  now?: () => Date;
}

export function defaultHolder(): string {
  return `${hostname()}:${process.pid}`;
}

export async function acquireLease(connection: ArangoConnection, options: LeaseOptions = {}): Promise<Lease> {
  const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const now = options.now ?? (() => new Date());
  const holder = options.holder ?? defaultHolder();
  await ensureLeaseDatabase(connection);
  const collection = connection.database(LEASE_DATABASE).collection<LeaseInfo>(LEASE_COLLECTION);
  const body = (): LeaseInfo => ({
    holder,
    acquiredAt: now().toISOString(),
    expiresAt: new Date(now().getTime() + ttlMs).toISOString(),
  });

  let rev: string;
  try {
    rev = (await collection.save({ _key: LEASE_KEY, ...body() }))._rev;
  } catch (e) {
    if (!isArangoServerError(toArangopsError(e), UNIQUE_CONSTRAINT)) throw toArangopsError(e);
    const current = await collection.document(LEASE_KEY, { graceful: true });
    if (!current) return acquireLease(connection, options);
    if (new Date(current.expiresAt).getTime() > now().getTime()) {
      throw new LockHeldError({
        holder: current.holder,
        acquiredAt: current.acquiredAt,
        expiresAt: current.expiresAt,
      });
    }
    try {
      rev = (await collection.replace(LEASE_KEY, body(), { ifMatch: current._rev }))._rev;
    } catch (err) {
      // Someone else took over the expired lease first.
      if (isArangoServerError(toArangopsError(err), CONFLICT)) {
        const winner = await collection.document(LEASE_KEY);
        throw new LockHeldError(winner);
      }
      throw toArangopsError(err);
    }
  }

  // Renew at a third of the TTL so a slow request does not let it lapse.
  const timer = setInterval(() => {
    collection
      .update(LEASE_KEY, { expiresAt: new Date(now().getTime() + ttlMs).toISOString() }, { ifMatch: rev })
      .then((r) => {
        rev = r._rev;
      })
      .catch(() => undefined);
  }, ttlMs / 3);
  timer.unref();
  return {
    holder,
    release: async () => {
      clearInterval(timer);
      await ignoring(DOCUMENT_NOT_FOUND, () => collection.remove(LEASE_KEY, { ifMatch: rev })).catch((e) => {
        // Taken over after expiry: it is no longer ours to remove.
        if (!isArangoServerError(toArangopsError(e), CONFLICT)) throw e;
      });
    },
  };
}
