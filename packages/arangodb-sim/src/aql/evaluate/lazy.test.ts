import { describe, expect, it } from 'vitest';
import { startQuery } from '../index.js';
import { TestHost } from '../test-host.js';

function host(n: number): TestHost {
  const h = new TestHost();
  h.add(
    'docs',
    Array.from({ length: n }, (_, i) => ({ _key: `k${i}`, i, even: i % 2 === 0 })),
  );
  return h;
}

const drain = (run: ReturnType<typeof startQuery>, batch: number): unknown[] => {
  const out: unknown[] = [];
  while (!run.done) out.push(...run.next(batch));
  return out;
};

describe('lazy evaluation (streaming cursors)', () => {
  it('reads only the rows a batch needs: the first 1000 of 20000 scan 1000 documents', () => {
    const h = host(20_000);
    const run = startQuery(h, 'FOR d IN docs RETURN d', {}, { lazy: true });
    expect(run.next(1000)).toHaveLength(1000);
    expect(run.summary().stats.scannedFull).toBe(1000);
    expect(run.done).toBe(false);
    const eager = startQuery(h, 'FOR d IN docs RETURN d', {});
    eager.next(1000);
    expect(eager.summary().stats.scannedFull).toBe(20_000);
  });

  it.each([
    ['FOR d IN docs RETURN d.i'],
    ['LET m = 3 FOR d IN docs FILTER d.i % m == 0 RETURN d.i'],
    ['FOR d IN docs FILTER d.even LIMIT 5, 7 RETURN d.i'],
    ['FOR d IN docs FOR x IN [1, 2] RETURN [d.i, x]'],
    ['FOR d IN docs SORT d.i DESC LIMIT 3 RETURN d.i'],
    ['FOR d IN docs COLLECT even = d.even WITH COUNT INTO n RETURN [even, n]'],
    ['FOR i IN 1..25 RETURN i * 2'],
    ['FOR i IN 10..1 RETURN i'],
    ['FOR x IN [3, 1, 2] RETURN x'],
    ['FILTER false FOR d IN docs COLLECT WITH COUNT INTO n RETURN n'],
  ])('%s answers what eager evaluation answers, in batches of 4', (q) => {
    const h = host(50);
    const whole = startQuery(h, q, {}).next(Number.POSITIVE_INFINITY);
    expect(drain(startQuery(h, q, {}, { lazy: true }), 4)).toEqual(whole);
  });

  it('runs data-modification queries whole on the first batch', () => {
    const run = startQuery(
      host(50),
      'FOR d IN docs UPDATE d WITH { u: 1 } IN docs RETURN NEW.u',
      {},
      { lazy: true },
    );
    expect(run.next(5)).toEqual([1, 1, 1, 1, 1]);
    expect(run.summary().stats.writesExecuted).toBe(50);
  });

  it('stops scanning once a LIMIT is satisfied', () => {
    const run = startQuery(host(10_000), 'FOR d IN docs LIMIT 10 RETURN d', {}, { lazy: true });
    expect(drain(run, 100)).toHaveLength(10);
    expect(run.summary().stats.scannedFull).toBe(10);
  });
});
