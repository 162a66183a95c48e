import { Database } from 'arangojs';
import { describe, expect, it } from 'vitest';
import { sim } from './__tests__/sim-http.js';

/** Query management as arangojs drives it: tracking, listing, killing, timeouts. */
describe('arangojs query management against the simulator', () => {
  it('lists a running query, kills it, and keeps slow ones', async () => {
    const s = await sim({ version: '3.11.14' });
    const db = new Database({ url: s.url });
    await db.queryTracking({ slowQueryThreshold: 0.1 });
    expect(await db.queryTracking()).toMatchObject({ slowQueryThreshold: 0.1, trackSlowQueries: true });
    const running = db.query('RETURN SLEEP(10)');
    let listed: { id: string; query: string }[] = [];
    while (listed.length === 0) listed = await db.listRunningQueries();
    expect(listed[0]?.query).toBe('RETURN SLEEP(10)');
    await db.killQuery(listed[0]?.id as string);
    await expect(running).rejects.toMatchObject({ errorNum: 1500, code: 410 });
    // The killed query may itself have run past the threshold; start from an empty slow list.
    await db.clearSlowQueries();
    await (await db.query('LET x = SLEEP(0.15) RETURN 1')).all();
    expect((await db.listSlowQueries()).map((q) => q.query)).toEqual(['LET x = SLEEP(0.15) RETURN 1']);
    await db.clearSlowQueries();
    expect(await db.listSlowQueries()).toEqual([]);
  });

  it('gives up on a sleeping query at the client timeout or the server maxRuntime', async () => {
    const s = await sim();
    const db = new Database({ url: s.url });
    await expect(db.query('RETURN SLEEP(5)', {}, { timeout: 100 })).rejects.toThrow();
    await expect(db.query('RETURN SLEEP(5)', {}, { maxRuntime: 0.1 })).rejects.toMatchObject({
      errorNum: 1500,
    });
    // The simulator was not blocked meanwhile.
    expect((await db.version()).server).toBe('arango');
  });
});
