import { describe, expect, it } from 'vitest';
import { req, sim } from '../__tests__/sim-http.js';

const sleepy = (s: Awaited<ReturnType<typeof sim>>, query: string, extra: Record<string, unknown> = {}) =>
  req(s, 'POST', '/_api/cursor', { query, ...extra });

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition never met');
}

describe('query tracking (/_api/query/*)', () => {
  it('answers the tracking properties with server defaults and applies a PUT', async () => {
    const s = await sim();
    const got = await req(s, 'GET', '/_api/query/properties');
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      error: false,
      code: 200,
      enabled: true,
      trackSlowQueries: true,
      trackBindVars: true,
      maxSlowQueries: 64,
      slowQueryThreshold: 10,
      slowStreamingQueryThreshold: 10,
      maxQueryStringLength: 4096,
    });
    const put = await req(s, 'PUT', '/_api/query/properties', { slowQueryThreshold: 0.5, maxSlowQueries: 2 });
    expect(put.body).toMatchObject({ slowQueryThreshold: 0.5, maxSlowQueries: 2, enabled: true });
    expect((await req(s, 'GET', '/_api/query/properties')).body).toMatchObject({ slowQueryThreshold: 0.5 });
  });

  it('SLEEP() waits without blocking: the query is listed as running while other requests are answered', async () => {
    const s = await sim();
    const started = performance.now();
    const running = sleepy(s, 'LET x = SLEEP(0.4) RETURN @v', { bindVars: { v: 1 } });
    const current = await until(async () => {
      const list = (await req(s, 'GET', '/_api/query/current')).body as unknown as Record<string, unknown>[];
      return list.length > 0 ? list : undefined;
    });
    expect(current[0]).toMatchObject({
      database: '_system',
      user: '',
      query: 'LET x = SLEEP(0.4) RETURN @v',
      bindVars: { v: 1 },
      state: 'executing',
      stream: false,
    });
    expect(Object.keys(current[0] as object)).toEqual([
      'id',
      'database',
      'user',
      'query',
      'bindVars',
      'started',
      'runTime',
      'peakMemoryUsage',
      'state',
      'stream',
    ]);
    expect((await req(s, 'GET', '/_api/version')).status).toBe(200);
    const done = await running;
    expect(done.body.result).toEqual([1]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect((await req(s, 'GET', '/_api/query/current')).body).toEqual([]);
  });

  it('kills a running query by id: it fails with 1500, a second kill is 404/1591', async () => {
    const s = await sim();
    const running = sleepy(s, 'RETURN SLEEP(5)');
    const id = await until(async () => {
      const list = (await req(s, 'GET', '/_api/query/current')).body as unknown as { id: string }[];
      return list[0]?.id;
    });
    expect((await req(s, 'DELETE', `/_api/query/${id}`)).body).toEqual({ error: false, code: 200 });
    const killed = await running;
    expect(killed.status).toBe(410);
    expect(killed.body).toMatchObject({ error: true, errorNum: 1500, errorMessage: 'query killed' });
    expect((await req(s, 'DELETE', `/_api/query/${id}`)).body).toEqual({
      code: 404,
      error: true,
      errorMessage: 'query ID not found in query list',
      errorNum: 1591,
    });
  });

  it('kills a query past its maxRuntime with 1500', async () => {
    const s = await sim();
    const started = performance.now();
    const res = await sleepy(s, 'RETURN SLEEP(5)', { options: { maxRuntime: 0.2 } });
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({ errorNum: 1500, errorMessage: 'query killed' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('keeps finished queries over the threshold as slow, bind variables only when tracked, at most maxSlowQueries', async () => {
    const s = await sim();
    await req(s, 'PUT', '/_api/query/properties', {
      slowQueryThreshold: 0.1,
      maxSlowQueries: 2,
      trackBindVars: false,
    });
    await sleepy(s, 'RETURN 1');
    for (const v of [1, 2, 3]) await sleepy(s, 'LET x = SLEEP(0.15) RETURN @v', { bindVars: { v } });
    const slow = (await req(s, 'GET', '/_api/query/slow')).body as unknown as Record<string, unknown>[];
    expect(slow).toHaveLength(2);
    expect(slow[0]).toMatchObject({ bindVars: {}, state: 'finished', stream: false, exitCode: 0 });
    expect(slow[0]?.runTime).toBeGreaterThanOrEqual(0.1);
    expect((await req(s, 'DELETE', '/_api/query/slow')).body).toEqual({ error: false, code: 200 });
    expect((await req(s, 'GET', '/_api/query/slow')).body).toEqual([]);
    await req(s, 'PUT', '/_api/query/properties', { enabled: false });
    await sleepy(s, 'LET x = SLEEP(0.15) RETURN 1');
    expect((await req(s, 'GET', '/_api/query/slow')).body).toEqual([]);
  });
});

describe('failOnWarning', () => {
  it('fails a cursor on its first warning with that warning (400)', async () => {
    const s = await sim();
    const lenient = await sleepy(s, 'FOR i IN 1..3 RETURN SUM(i)');
    expect((lenient.body.extra as { warnings: unknown[] }).warnings).toHaveLength(3);
    const res = await sleepy(s, 'FOR i IN 1..3 RETURN SUM(i)', { options: { failOnWarning: true } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 400,
      error: true,
      errorMessage: "AQL: invalid argument type in call to function 'SUM()' (while executing)",
      errorNum: 1542,
    });
  });

  it('fails explain and cursor when constant folding warns', async () => {
    const s = await sim();
    for (const path of ['/_api/explain', '/_api/cursor']) {
      const res = await req(s, 'POST', path, {
        query: 'FOR i IN 1..10 RETURN 1 / 0',
        options: { failOnWarning: true },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        errorNum: 1562,
        errorMessage: 'AQL: division by zero (while optimizing ast)',
      });
    }
  });
});

describe('explain with profiling', () => {
  it.each(['3.11.14', '3.12.0', '3.12.10'])(
    '%s times each optimizer rule at profile level 2',
    async (version) => {
      const s = await sim({ version });
      const q = 'FOR i IN 1..10 LET x = 2 * 3 FILTER i > x RETURN i';
      const profiled = await req(s, 'POST', '/_api/explain', { query: q, options: { profile: 2 } });
      const stats = profiled.body.stats as Record<string, unknown>;
      expect(Object.keys(stats)).toEqual([
        'rulesExecuted',
        'rulesSkipped',
        'plansCreated',
        'rules',
        'peakMemoryUsage',
        'executionTime',
      ]);
      const plan = profiled.body.plan as { rules: string[] };
      expect(plan.rules.length).toBeGreaterThan(0);
      expect(Object.keys(stats.rules as object)).toEqual(plan.rules);
      for (const t of Object.values(stats.rules as object)) expect(typeof t).toBe('number');
      const plain = await req(s, 'POST', '/_api/explain', { query: q });
      expect('rules' in (plain.body.stats as object)).toBe(version === '3.12.10');
    },
  );
});
