import { describe, expect, it } from 'vitest';
import {
  classify,
  type Example,
  type Family,
  groupKey,
  loadExamples,
} from './__tests__/conformance/examples.js';
import { type GroupResult, replayGroup } from './__tests__/conformance/replay.js';

/**
 * Replays every recorded real-server example of the simulated endpoint families against a
 * simulator of the same version and deployment, and compares status, errorNum, the headers that
 * matter and the body shape. Prints a coverage table; any failing example fails the test.
 */
describe('conformance with recorded ArangoDB 3.11/3.12 responses', () => {
  it('replays every in-scope example', async () => {
    const examples = loadExamples();
    const groups = new Map<string, { family: Family; steps: Example[] }>();
    const outOfScope = new Map<string, number>();
    for (const e of examples) {
      const c = classify(e);
      if ('outOfScope' in c) {
        outOfScope.set(c.outOfScope, (outOfScope.get(c.outOfScope) ?? 0) + 1);
        continue;
      }
      const key = groupKey(e);
      const g = groups.get(key) ?? { family: c.family, steps: [] };
      g.steps.push(e);
      groups.set(key, g);
    }
    const results: GroupResult[] = [];
    for (const g of groups.values()) results.push(...(await replayGroup(g.family, g.steps)));

    const table = new Map<string, { replayed: number; passed: number }>();
    for (const r of results) {
      const row = table.get(r.family) ?? { replayed: 0, passed: 0 };
      row.replayed += 1;
      if (r.problems.length === 0) row.passed += 1;
      table.set(r.family, row);
    }
    const lines = ['family          replayed  passed'];
    for (const [family, row] of [...table].sort()) {
      lines.push(`${family.padEnd(16)}${String(row.replayed).padStart(8)}${String(row.passed).padStart(8)}`);
    }
    lines.push('', 'out of scope (examples: reason)');
    for (const [reason, n] of [...outOfScope].sort()) lines.push(`${String(n).padStart(4)}: ${reason}`);
    console.log(lines.join('\n'));

    const failures = results
      .filter((r) => r.problems.length > 0)
      .map((r) => `${r.id}: ${r.problems.join('; ')}`);
    if (failures.length) console.log(`FAILURES (${failures.length}):\n${failures.join('\n')}`);
    expect(failures).toEqual([]);
  }, 300_000);
});
