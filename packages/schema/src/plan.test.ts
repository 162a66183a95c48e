import { describe, expect, it } from 'vitest';
import { profileSchema } from './model.js';
import { planBootstrap } from './plan.js';
import type { DriftItem } from './types.js';

const profile = profileSchema.parse({
  version: 1,
  databases: {
    shop: {
      collections: { products: { indexes: [{ name: 'idx_a', type: 'persistent', fields: ['a'] }] } },
      graphs: { g: { edgeDefinitions: [{ collection: 'links', from: ['products'], to: ['products'] }] } },
    },
  },
  users: {
    reader: {
      password: { env: 'PW' },
      grants: { shop: { database: 'ro', collections: { products: 'rw' } } },
    },
  },
});

const item = (
  path: string,
  kind: DriftItem['kind'],
  change: DriftItem['change'],
  cls: DriftItem['class'],
  extra: Partial<DriftItem> = {},
): DriftItem => ({
  path,
  kind,
  change,
  class: cls,
  message: '',
  ...extra,
});

describe('planBootstrap', () => {
  it('orders actions database → collections → indexes → graphs → users → grants', () => {
    const items = [
      item('shop', 'database', 'missing', 'additive'),
      item('shop/collections/products', 'collection', 'missing', 'additive'),
      item('shop/collections/products/indexes/idx_a', 'index', 'missing', 'additive'),
      item('shop/graphs/g', 'graph', 'missing', 'additive'),
      item('users/reader', 'user', 'missing', 'additive'),
      item('users/reader/grants/shop', 'grant', 'missing', 'additive'),
    ].reverse();
    const plan = planBootstrap(profile, items);
    expect(plan.actions.map((a) => `${a.op} ${a.path}`)).toEqual([
      'createDatabase shop',
      'createCollection shop/collections/products',
      'createIndex shop/collections/products/indexes/idx_a',
      'createGraph shop/graphs/g',
      'createUser users/reader',
      'setGrant users/reader/grants/shop',
      'setGrant users/reader/grants/shop/products',
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('applies mutable collection fields in place', () => {
    const plan = planBootstrap(profile, [
      item('shop/collections/products', 'collection', 'changed', 'mutable', { fields: ['waitForSync'] }),
    ]);
    expect(plan.actions).toEqual([
      {
        op: 'updateCollection',
        path: 'shop/collections/products',
        database: 'shop',
        name: 'products',
        fields: ['waitForSync'],
      },
    ]);
  });

  it('recreates an index only with allowRecreate, never drops unexpected ones', () => {
    const changed = item('shop/collections/products/indexes/idx_a', 'index', 'changed', 'recreate', {
      liveId: 'products/12',
    });
    const extra = item('shop/collections/products/indexes/idx_x', 'index', 'unexpected', 'recreate', {
      liveId: 'products/13',
    });
    expect(planBootstrap(profile, [changed, extra])).toEqual({ actions: [], skipped: [changed, extra] });
    const plan = planBootstrap(profile, [changed, extra], { allowRecreate: true });
    expect(plan.actions.map((a) => a.op)).toEqual(['replaceIndex']);
    expect(plan.actions[0]).toMatchObject({ id: 'products/12', name: 'idx_a' });
    expect(plan.skipped).toEqual([extra]);
  });

  it('drops undeclared indexes, views, links, analyzers and graphs only with allowDestructive; never collections', () => {
    const unexpected = [
      item('shop/analyzers/old', 'analyzer', 'unexpected', 'recreate'),
      item('shop/collections/products/indexes/idx_x', 'index', 'unexpected', 'recreate', {
        liveId: 'products/13',
      }),
      item('shop/collections/tmp', 'collection', 'unexpected', 'destructive'),
      item('shop/graphs/g', 'graph', 'unexpected', 'recreate'),
      item('shop/views/search', 'view', 'unexpected', 'recreate'),
      item('shop/views/kept/links/orders', 'view', 'unexpected', 'recreate'),
      item('shop/views/alias/indexes/products/inv', 'view', 'unexpected', 'recreate'),
      item('users/app/grants/other', 'grant', 'unexpected', 'mutable'),
    ];
    expect(planBootstrap(profile, unexpected, { allowRecreate: true }).actions).toEqual([]);
    const plan = planBootstrap(profile, unexpected, { allowDestructive: true });
    expect(plan.actions).toEqual([
      {
        op: 'dropViewLink',
        path: 'shop/views/kept/links/orders',
        database: 'shop',
        name: 'kept',
        collection: 'orders',
      },
      {
        op: 'dropViewLink',
        path: 'shop/views/alias/indexes/products/inv',
        database: 'shop',
        name: 'alias',
        collection: 'products',
        index: 'inv',
      },
      { op: 'dropView', path: 'shop/views/search', database: 'shop', name: 'search' },
      {
        op: 'dropIndex',
        path: 'shop/collections/products/indexes/idx_x',
        database: 'shop',
        collection: 'products',
        id: 'products/13',
      },
      { op: 'dropGraph', path: 'shop/graphs/g', database: 'shop', name: 'g' },
      { op: 'dropAnalyzer', path: 'shop/analyzers/old', database: 'shop', name: 'old' },
    ]);
    expect(plan.skipped.map((i) => i.path)).toEqual(['shop/collections/tmp', 'users/app/grants/other']);
  });

  it('never changes a collection type, even with allowDestructive', () => {
    const wrongType = item('shop/collections/products', 'collection', 'changed', 'destructive', {
      fields: ['type', 'waitForSync'],
    });
    expect(
      planBootstrap(profile, [wrongType], { allowDestructive: true, allowRecreate: true }).skipped,
    ).toEqual([wrongType]);
  });
});
