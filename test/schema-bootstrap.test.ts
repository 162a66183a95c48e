import {
  DEFAULT_PROFILE_DIR,
  declaredIndexes,
  type LoadedProfile,
  loadProfile,
  runBootstrap,
  runDrift,
} from '@arangops/schema';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  PROFILE_PASSWORDS,
  startTarget,
  type Target,
  targetSpecs,
} from '../packages/schema/src/__tests__/target.js';

let shipped: LoadedProfile;
beforeAll(async () => {
  shipped = await loadProfile(DEFAULT_PROFILE_DIR);
});

describe.each(targetSpecs())('bootstrap of the CodeValdCortex profile on $label', (spec) => {
  let target: Target;
  let profile: LoadedProfile;
  beforeEach(async () => {
    target = await startTarget(spec);
    profile = target.scope(shipped);
  });
  afterEach(async () => {
    await target.stop();
  });

  const bootstrap = () =>
    runBootstrap({ connection: target.connection, profile, env: PROFILE_PASSWORDS, waitTimeoutMs: 10_000 });

  it('creates everything on an empty server; drift is then empty; a second run writes nothing', async () => {
    const first = await bootstrap();
    const declared = declaredIndexes(profile.profile);
    expect(first.applied.filter((a) => a.op === 'createIndex')).toHaveLength(declared.length);
    expect(first.applied.map((a) => a.op)).toEqual(
      expect.arrayContaining(['createDatabase', 'createGraph', 'createUser', 'setGrant']),
    );
    expect(first.plan.skipped).toEqual([]);
    expect(first.report.items).toEqual([]);
    expect(first.report.inSync).toBe(true);

    const drift = await runDrift({ connection: target.connection, profile });
    expect(drift.items).toEqual([]);
    expect(drift.deprecations).toEqual([]);
    expect(drift.server.role).toBe(spec.mode === 'cluster' ? 'COORDINATOR' : 'SINGLE');

    target.resetWrites();
    const second = await bootstrap();
    expect(second.plan.actions).toEqual([]);
    expect(second.applied).toEqual([]);
    expect(target.writes()).toBe(0);
    if (target.sim) expect(target.sim.state.requestLog.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('two bootstraps at once both succeed and leave no duplicate index', async () => {
    const [a, b] = await Promise.all([bootstrap(), bootstrap()]);
    expect(a.report.inSync).toBe(true);
    expect(b.report.inSync).toBe(true);
    const db = target.name('codevaldcortex');
    for (const collection of ['agents', 'workflow_executions', 'agent_communications']) {
      const indexes = await target.admin.database(db).collection(collection).indexes();
      const secondary = indexes.filter((i) => i.type !== 'primary' && i.type !== 'edge');
      const declared = declaredIndexes(profile.profile).filter((d) => d.collection === collection);
      expect(secondary.map((i) => i.name).sort()).toEqual(declared.map((d) => d.index).sort());
    }
  });

  it('dry run plans without writing', async () => {
    target.resetWrites();
    const result = await runBootstrap({
      connection: target.connection,
      profile,
      env: {},
      dryRun: true,
      waitTimeoutMs: 10_000,
    });
    expect(result.dryRun).toBe(true);
    expect(result.plan.actions[0]).toMatchObject({ op: 'createDatabase' });
    expect(result.report.inSync).toBe(false);
    expect(target.writes()).toBe(0);
  });

  it('a missing password source stops bootstrap before users are created, naming user and variable', async () => {
    const { ARANGOPS_USER_BACKUP_PASSWORD: _omitted, ...env } = PROFILE_PASSWORDS;
    await expect(
      runBootstrap({ connection: target.connection, profile, env, waitTimeoutMs: 10_000 }),
    ).rejects.toThrow(
      `users.${target.name('arangops-backup')}.password.env: password of user "${target.name('arangops-backup')}": environment variable ARANGOPS_USER_BACKUP_PASSWORD is not set`,
    );
    const drift = await runDrift({ connection: target.connection, profile });
    expect(drift.items.find((i) => i.kind === 'database')).toMatchObject({ change: 'missing' });
  });

  it('the verify user is effectively an admin: every grant it holds beyond the declared ones is drift', async () => {
    await bootstrap();
    const [verify, cortex] = [target.name('arangops-verify'), target.name('codevaldcortex')];
    // What `_system: rw` lets it do: grant itself the production database, keep a database of its own.
    const system = target.admin.database('_system');
    await system.route(`/_api/user/${verify}/database/${cortex}`).put({ grant: 'rw' });
    await system.route(`/_api/user/${verify}/database/${cortex}/agents`).put({ grant: 'rw' });
    const kept = target.name('arangops_verify_kept');
    await system.createDatabase(kept);
    await system.route(`/_api/user/${verify}/database/${kept}`).put({ grant: 'rw' });

    const drift = await runDrift({ connection: target.connection, profile });
    expect(drift.items.map((i) => `${i.change} ${i.path}`)).toEqual([
      `unexpected users/${verify}/grants/${kept}`,
      `changed users/${verify}/grants/${cortex}`,
      `unexpected users/${verify}/grants/${cortex}/agents`,
    ]);
    expect(drift.inSync).toBe(false);
  });

  it.each(['root', 'own'])('refuses a profile that manages %s, before any call', async (which) => {
    const user = which === 'root' ? 'root' : 'arangops-admin';
    const own = {
      ...profile,
      profile: {
        ...profile.profile,
        users: { ...profile.profile.users, [user]: { active: false, password: { env: 'X' }, grants: {} } },
      },
    };
    target.resetWrites();
    await expect(
      runBootstrap({
        connection: target.connection,
        connectionUser: 'arangops-admin',
        profile: own,
        waitTimeoutMs: 0,
      }),
    ).rejects.toThrow(`(users.${user}): bootstrap does not manage ${user}`);
    expect(target.writes()).toBe(0);
  });
});
