import { type ArangoConnection, ArangoServerError, InputError, toArangopsError } from '@arangops/core';
import { describe, expect, it } from 'vitest';
import { applyBootstrap, collectionBody } from './apply.js';
import { profileSchema } from './model.js';
import type { BootstrapAction } from './types.js';

interface Sent {
  database: string;
  method: string;
  pathname: string;
  body?: unknown;
  search?: Record<string, string>;
}

/** A connection that records requests and answers from `respond` (an ArangoServerError is thrown). */
function fakeConnection(respond: (req: Sent) => unknown = () => ({})) {
  const sent: Sent[] = [];
  const connection = {
    endpoints: ['http://fake'],
    close() {},
    withRetry: <T>(_label: string, fn: () => Promise<T>) =>
      fn().catch((e: unknown) => {
        throw toArangopsError(e);
      }),
    database: (database = '_system') => ({
      route: () => ({
        async request(options: Omit<Sent, 'database'>) {
          const req = { database, ...options };
          sent.push(req);
          const answer = respond(req);
          if (answer instanceof Error) throw answer;
          return { parsedBody: answer };
        },
      }),
    }),
  } as unknown as ArangoConnection;
  return { connection, sent };
}

const profile = profileSchema.parse({
  version: 1,
  databases: {
    shop: {
      collections: {
        products: {
          indexes: [
            { name: 'idx_a', type: 'persistent', fields: ['a'] },
            { name: 'idx_xy', type: 'mdi', fields: ['x', 'y'] },
          ],
        },
        links: { type: 'edge', schema: { rule: { type: 'object' } } },
      },
    },
  },
  users: { reader: { password: { env: 'READER_PW' }, grants: { shop: 'ro' } } },
});

const createIndex = (name: string): BootstrapAction => ({
  op: 'createIndex',
  path: `shop/collections/products/indexes/${name}`,
  database: 'shop',
  collection: 'products',
  name,
});

describe('applyBootstrap', () => {
  it('resolves every password before sending anything', async () => {
    const { connection, sent } = fakeConnection();
    const actions: BootstrapAction[] = [
      { op: 'createDatabase', path: 'shop', database: 'shop' },
      { op: 'createUser', path: 'users/reader', user: 'reader' },
    ];
    await expect(
      applyBootstrap(connection, profile, { actions, skipped: [] }, { env: {} }),
    ).rejects.toBeInstanceOf(InputError);
    expect(sent).toEqual([]);
  });

  it('builds indexes in the background on large collections only', async () => {
    for (const [count, expected] of [
      [250_000, true],
      [10, undefined],
    ] as const) {
      const { connection, sent } = fakeConnection((req) =>
        req.pathname.endsWith('/count') ? { count } : {},
      );
      await applyBootstrap(connection, profile, { actions: [createIndex('idx_a')], skipped: [] });
      const post = sent.find((r) => r.method === 'POST')!;
      expect(post).toMatchObject({ pathname: '/_api/index', search: { collection: 'products' } });
      expect((post.body as { inBackground?: boolean }).inBackground).toBe(expected);
      expect(post.body).toMatchObject({ type: 'persistent', name: 'idx_a', fields: ['a'] });
    }
  });

  it('creates multi-dimensional indexes as zkd on 3.11', async () => {
    const { connection, sent } = fakeConnection(() => ({ count: 0 }));
    await applyBootstrap(
      connection,
      profile,
      { actions: [createIndex('idx_xy')], skipped: [] },
      { serverVersion: '3.11.14' },
    );
    expect(sent.find((r) => r.method === 'POST')?.body).toMatchObject({ type: 'zkd', fields: ['x', 'y'] });
  });

  it('treats "already exists" from a concurrent run as success; an existing user gets a PATCH', async () => {
    const { connection, sent } = fakeConnection((req) => {
      if (req.method === 'POST' && req.pathname === '/_api/collection')
        return new ArangoServerError('duplicate', 1207, 409);
      if (req.method === 'POST' && req.pathname === '/_api/user')
        return new ArangoServerError('duplicate user', 1702, 409);
      return {};
    });
    const actions: BootstrapAction[] = [
      { op: 'createCollection', path: 'shop/collections/links', database: 'shop', name: 'links' },
      { op: 'createUser', path: 'users/reader', user: 'reader' },
    ];
    const result = await applyBootstrap(
      connection,
      profile,
      { actions, skipped: [] },
      { env: { READER_PW: 'pw' } },
    );
    expect(result).toEqual({ applied: actions, refused: [] });
    expect(sent.map((r) => `${r.method} ${r.pathname}`)).toEqual([
      'POST /_api/collection',
      'POST /_api/user',
      'PATCH /_api/user/reader',
    ]);
    expect(sent[1]?.body).toMatchObject({ user: 'reader', passwd: 'pw', active: true });
  });

  it('records a refused definition (a second TTL index) and goes on with the plan', async () => {
    const { connection, sent } = fakeConnection((req) =>
      req.pathname === '/_api/index' && (req.body as { name: string }).name === 'idx_a'
        ? new ArangoServerError('there can only be one ttl index per collection', 10, 400)
        : { count: 0 },
    );
    const result = await applyBootstrap(connection, profile, {
      actions: [createIndex('idx_a'), createIndex('idx_xy')],
      skipped: [],
    });
    expect(result.applied).toEqual([createIndex('idx_xy')]);
    expect(result.refused).toEqual([
      {
        action: createIndex('idx_a'),
        errorNum: 10,
        message: 'there can only be one ttl index per collection',
      },
    ]);
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('stops on any other server error', async () => {
    const { connection } = fakeConnection(() => new ArangoServerError('forbidden', 11, 403));
    await expect(
      applyBootstrap(connection, profile, {
        actions: [{ op: 'createDatabase', path: 'shop', database: 'shop' }],
        skipped: [],
      }),
    ).rejects.toThrow('forbidden');
  });
});

describe('collectionBody', () => {
  it('sends the declared properties in the server request shape', () => {
    expect(collectionBody(profile.databases.shop!.collections.links!)).toEqual({
      type: 3,
      waitForSync: false,
      cacheEnabled: false,
      schema: { rule: { type: 'object' }, level: 'strict' },
      computedValues: null,
    });
  });
});
