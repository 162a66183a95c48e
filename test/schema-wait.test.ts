/** Readiness waiting and drift metrics under simulated faults (simulator only: a real server cannot be broken on purpose). */
import { ArangoServerError, ConnectionError } from '@arangops/core';
import {
  DEFAULT_PROFILE_DIR,
  loadProfile,
  registerSchemaMetrics,
  runDrift,
  waitForServer,
} from '@arangops/schema';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_SERVER, startTarget, type Target } from '../packages/schema/src/__tests__/target.js';

if (!REAL_SERVER) {
  describe('waitForServer', () => {
    let target: Target;
    afterEach(async () => {
      await target.stop();
    });

    it('waits for every cluster member to be GOOD, and says which is not when it gives up', async () => {
      target = await startTarget({ mode: 'cluster', version: '3.12.10' });
      target.sim!.faults.setMemberStatus('DBServer0002', 'BAD');
      const error = await waitForServer(target.connection, { timeoutMs: 200, baseDelayMs: 20 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toBe(
        'server not ready after 0.2 s: cluster members not GOOD: DBServer0002=BAD',
      );

      setTimeout(() => target.sim!.faults.setMemberStatus('DBServer0002', 'GOOD'), 100);
      await expect(
        waitForServer(target.connection, { timeoutMs: 10_000, baseDelayMs: 20 }),
      ).resolves.toBeUndefined();
    });

    it('gives up at once on a login failure: waiting cannot fix credentials', async () => {
      target = await startTarget({ mode: 'single', version: '3.12.10' });
      target.sim!.faults.failNext(
        '/_admin/server/role',
        1,
        401,
        11,
        'not authorized to execute this request',
      );
      const error = await waitForServer(target.connection, { timeoutMs: 60_000, baseDelayMs: 10 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ArangoServerError);
      expect(error).toMatchObject({ code: 401, exitCode: 4 });
      expect(target.sim!.state.requestLog.filter((r) => r.path === '/_admin/server/role')).toHaveLength(1);
    });

    it('retries while the server answers 503', async () => {
      target = await startTarget({ mode: 'single', version: '3.11.14' });
      target.sim!.faults.failNext('/_admin/server/role', 6, 503, 503, 'service unavailable');
      await expect(
        waitForServer(target.connection, { timeoutMs: 10_000, baseDelayMs: 10 }),
      ).resolves.toBeUndefined();
      const attempts = target.sim!.state.requestLog.filter((r) => r.path === '/_admin/server/role');
      expect(attempts.length).toBeGreaterThanOrEqual(7);
    });
  });

  describe('drift metrics', () => {
    let target: Target;
    afterEach(async () => {
      await target.stop();
    });

    it('records drift items on success and check_success 0 when the server is down', async () => {
      target = await startTarget({ mode: 'single', version: '3.12.10' });
      const registry = new Registry();
      const metrics = registerSchemaMetrics(registry);
      const profile = await loadProfile(DEFAULT_PROFILE_DIR);
      await runDrift({ connection: target.connection, profile, metrics });
      const text = await registry.metrics();
      expect(text).toContain('arangops_schema_check_success 1');
      expect(text).toContain('arangops_schema_drift_items{class="additive",kind="index"} 13');

      await target.sim!.faults.refuseConnections();
      await expect(runDrift({ connection: target.connection, profile, metrics })).rejects.toThrow();
      expect(await registry.metrics()).toContain('arangops_schema_check_success 0');
      await target.sim!.faults.acceptConnections();
    });
  });
}
