/** Users and grants: created with a password from the environment, drift on access, repair of declared grants. */
import { type LoadedProfile, parseProfile, runBootstrap, runDrift } from '@arangops/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTarget, type Target, targetSpecs } from '../packages/schema/src/__tests__/target.js';

const declared = parseProfile(
  `version: 1
databases:
  shop:
    collections: { docs: {}, secrets: {} }
users:
  reader:
    extra: { team: sre }
    password: { env: SHOP_READER_PW }
    grants:
      shop: { database: ro, collections: { secrets: none, docs: rw } }
`,
  'users.yaml',
);

describe.each(targetSpecs())('users and grants on $label', (spec) => {
  let target: Target;
  let profile: LoadedProfile;
  beforeEach(async () => {
    target = await startTarget(spec);
    profile = target.scope({ dir: 'users', file: 'users.yaml', profile: declared });
  });
  afterEach(async () => {
    await target.stop();
  });

  it('creates the user and its grants, reports access drift, repairs declared grants only', async () => {
    const env = { SHOP_READER_PW: 'reader-pw' };
    const first = await runBootstrap({ connection: target.connection, profile, env, waitTimeoutMs: 10_000 });
    expect(first.report.items).toEqual([]);

    const [reader, shop] = [target.name('reader'), target.name('shop')];
    const system = target.admin.database('_system');
    await system.route(`/_api/user/${reader}/database/${shop}/docs`).put({ grant: 'ro' });
    await system.route(`/_api/user/${reader}/database/_system`).put({ grant: 'rw' });
    await system.route(`/_api/user/${reader}`).patch({ active: false });

    const drift = await runDrift({ connection: target.connection, profile });
    expect(drift.items.map((i) => `${i.change} ${i.class} ${i.path}`)).toEqual([
      `changed mutable users/${reader}`,
      `unexpected mutable users/${reader}/grants/_system`,
      `changed mutable users/${reader}/grants/${shop}/docs`,
    ]);

    const repaired = await runBootstrap({ connection: target.connection, profile, env, waitTimeoutMs: 0 });
    expect(repaired.applied.map((a) => a.op)).toEqual(['updateUser', 'setGrant']);
    expect(repaired.report.items.map((i) => i.path)).toEqual([`users/${reader}/grants/_system`]);
    expect(repaired.report.items[0]?.message).toBe(
      `user ${reader} has rw on database _system, which the profile does not grant`,
    );
  });
});
