import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type DriftReport,
  type LoadedProfile,
  loadProfile,
  renderDriftReport,
  runBootstrap,
  runDrift,
} from '@arangops/schema';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTarget, type Target, targetSpecs } from '../packages/schema/src/__tests__/target.js';
import { tempDir } from './harness/temp-dir.js';

const PROFILE = `version: 1
databases:
  shop:
    collections:
      products:
        schema:
          level: moderate
          rule: { type: object, required: [status], properties: { status: { type: string } } }
        indexes:
          - { name: idx_products_status, type: persistent, fields: [status] }
          - { name: idx_products_created, type: persistent, fields: [createdAt] }
          - { name: idx_products_sku, type: persistent, fields: [sku] }
          - { name: idx_products_expiry, type: ttl, fields: [expiresAt], expireAfter: 0 }
      orders: {}
      links: { type: edge }
`;

let declared: LoadedProfile;
beforeAll(async () => {
  const dir = tempDir('drift');
  await writeFile(join(dir, 'schema.yaml'), PROFILE);
  declared = await loadProfile(dir);
});

const summary = (report: DriftReport) => report.items.map((i) => `${i.change} ${i.class} ${i.path}`);

describe.each(targetSpecs())('drift classes on $label', (spec) => {
  let target: Target;
  let profile: LoadedProfile;
  let shop: string;
  beforeEach(async () => {
    target = await startTarget(spec);
    profile = target.scope(declared);
    shop = target.name('shop');
    const first = await runBootstrap({ connection: target.connection, profile, waitTimeoutMs: 10_000 });
    expect(first.report.items).toEqual([]);
  });
  afterEach(async () => {
    await target.stop();
  });

  /** Changes the live database behind the profile's back, one drift class each. */
  async function tamper(): Promise<void> {
    const db = target.admin.database(shop);
    const products = db.collection('products');
    await db.collection('orders').drop();
    const byName = async (name: string) => (await products.indexes()).find((i) => i.name === name)!;
    await products.dropIndex((await byName('idx_products_created')).id);
    await products.dropIndex((await byName('idx_products_status')).id);
    await products.ensureIndex({
      type: 'persistent',
      name: 'idx_products_status',
      fields: ['status'],
      sparse: true,
    });
    await products.ensureIndex({ type: 'persistent', name: 'idx_extra', fields: ['name'] });
    await products.dropIndex((await byName('idx_products_sku')).id);
    await db
      .route('/_api/index')
      .post({ type: 'hash', fields: ['sku'], name: 'idx_legacy_sku' }, { collection: 'products' });
    await products.properties({ waitForSync: true });
    await db.collection('links').drop();
    await db.createCollection('links');
  }

  it('catches each drift class, and bootstrap fixes only what it may', async () => {
    await tamper();
    const base = `${shop}/collections`;
    const report = await runDrift({ connection: target.connection, profile });
    expect(summary(report)).toEqual([
      `changed destructive ${base}/links`,
      `missing additive ${base}/orders`,
      `changed mutable ${base}/products`,
      `unexpected recreate ${base}/products/indexes/idx_extra`,
      `missing additive ${base}/products/indexes/idx_products_created`,
      `changed recreate ${base}/products/indexes/idx_products_sku`,
      `changed recreate ${base}/products/indexes/idx_products_status`,
    ]);
    expect(report.items.find((i) => i.path === `${base}/products`)).toMatchObject({
      fields: ['waitForSync'],
      declared: { waitForSync: false },
      live: { waitForSync: true },
    });
    expect(report.items.find((i) => i.path.endsWith('idx_products_status'))).toMatchObject({
      fields: ['sparse'],
      declared: { sparse: false },
      live: { sparse: true },
    });
    expect(report.items.find((i) => i.path.endsWith('idx_products_sku'))).toMatchObject({
      fields: ['name'],
      live: { name: 'idx_legacy_sku' },
    });
    expect(report.deprecations).toEqual([
      expect.objectContaining({ path: `${base}/products/indexes/idx_legacy_sku`, type: 'hash' }),
    ]);
    expect(report.summary).toEqual({ additive: 2, mutable: 1, recreate: 3, destructive: 1 });
    expect(report.inSync).toBe(false);
    expect(renderDriftReport(report, 'text')).toContain(
      `! ${base}/products/indexes/idx_legacy_sku: index idx_legacy_sku on products has legacy type "hash"`,
    );

    const onlyDestructive = await runDrift({ connection: target.connection, profile, failOn: 'destructive' });
    expect(onlyDestructive.inSync).toBe(false);
    const ignoringLinks = await runDrift({
      connection: target.connection,
      profile,
      failOn: 'destructive',
      ignore: [`${shop}/collections/links`],
    });
    expect(ignoringLinks.inSync).toBe(true);
    expect(ignoringLinks.ignored).toBe(1);

    const safe = await runBootstrap({ connection: target.connection, profile, waitTimeoutMs: 0 });
    expect(summary(safe.report)).toEqual([
      `changed destructive ${base}/links`,
      `unexpected recreate ${base}/products/indexes/idx_extra`,
      `changed recreate ${base}/products/indexes/idx_products_sku`,
      `changed recreate ${base}/products/indexes/idx_products_status`,
    ]);

    const recreated = await runBootstrap({
      connection: target.connection,
      profile,
      waitTimeoutMs: 0,
      allowRecreate: true,
    });
    expect(summary(recreated.report)).toEqual([
      `changed destructive ${base}/links`,
      `unexpected recreate ${base}/products/indexes/idx_extra`,
    ]);
    expect(recreated.report.deprecations).toEqual([]);
  });

  it('reports a TTL index the server refuses (one per collection) and still applies the rest', async () => {
    const products = target.admin.database(shop).collection('products');
    const expiry = (await products.indexes()).find((i) => i.name === 'idx_products_expiry')!;
    await products.dropIndex(expiry.id);
    await products.ensureIndex({
      type: 'ttl',
      name: 'idx_rogue_ttl',
      fields: ['deletedAt'],
      expireAfter: 60,
    });
    await target.admin.database(shop).collection('orders').drop();

    const result = await runBootstrap({ connection: target.connection, profile, waitTimeoutMs: 0 });
    expect(result.applied.map((a) => a.path)).toEqual([`${shop}/collections/orders`]);
    expect(result.refused).toEqual([
      expect.objectContaining({
        action: expect.objectContaining({ op: 'createIndex', name: 'idx_products_expiry' }),
        errorNum: 10,
      }),
    ]);
    expect(summary(result.report)).toEqual([
      `missing additive ${shop}/collections/products/indexes/idx_products_expiry`,
      `unexpected recreate ${shop}/collections/products/indexes/idx_rogue_ttl`,
    ]);
  });

  it('samples documents against the declared rule', async () => {
    const products = target.admin.database(shop).collection('products');
    // Written with validation off, as data from before the rule would be.
    await target.admin.database(shop).route('/_api/collection/products/properties').put({ schema: null });
    await products.saveAll([{ status: 'active' }, { status: 'retired' }, { name: 'no status' }]);
    await products.properties({
      schema: {
        rule: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } },
        level: 'moderate',
      },
    });
    const report = await runDrift({ connection: target.connection, profile, sampleSize: 10 });
    expect(report.samples).toContainEqual({
      database: shop,
      collection: 'products',
      sampled: 3,
      nonConforming: 1,
    });
  });
});
