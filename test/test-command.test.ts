/**
 * The test command's own parts: how a missing tool is reported, and the closing line CI reads.
 */
import { describe, expect, it, vi } from 'vitest';
import { summarize, type VitestReport } from '../scripts/test-summary.js';
import { requireTool, type SkippableTest } from './harness/tools.js';

class Skipped extends Error {}
const test: SkippableTest = {
  skip(note) {
    throw new Skipped(note);
  },
};

describe('requireTool', () => {
  it('marks the test skipped outside CI when the tool is missing', () => {
    vi.stubEnv('CI', '');
    vi.stubEnv('PATH', '/nonexistent');
    expect(() => requireTool('amtool', 'a check', test)).toThrow(Skipped);
    expect(() => requireTool('amtool', 'a check', test)).toThrow(/amtool not found \(needed for a check\)/);
  });

  it('fails in CI instead of skipping', () => {
    vi.stubEnv('CI', 'true');
    vi.stubEnv('PATH', '/nonexistent');
    expect(() => requireTool('amtool', 'a check', test)).toThrow(/^CI: amtool not found/);
  });
});

const file = (name: string, statuses: string[], status = 'passed', message?: string) => ({
  name: `${process.cwd()}/${name}`,
  status: statuses.includes('failed') ? 'failed' : status,
  message,
  assertionResults: statuses.map((s) => ({ status: s })),
});

describe('the closing line', () => {
  const node24: VitestReport = {
    testResults: [
      file('a.test.ts', ['passed', 'passed', 'skipped']),
      file('b.test.ts', ['passed', 'failed', 'pending', 'todo']),
      file('c.test.ts', [], 'failed', "Error: Cannot find module 'x'\n    at stack"),
    ],
  };
  const node20: VitestReport = { testResults: [file('a.test.ts', ['passed', 'passed', 'skipped'])] };

  it('counts passed, failed and skipped tests of every run, a file that failed to load as a failure', () => {
    const lines = summarize([
      { label: 'node24', report: node24 },
      { label: 'node20', report: node20 },
    ]).split('\n');
    expect(lines).toEqual([
      'node24: 3 passed, 1 failed, 3 skipped; 1 files failed to load',
      'node20: 2 passed, 0 failed, 1 skipped; 0 files failed to load',
      'test files that failed to load: 1',
      "  node24: c.test.ts: Error: Cannot find module 'x'",
      'tests: 5 passed, 2 failed, 4 skipped',
    ]);
  });

  it('counts a run that wrote no report as a failure, and ends on the shape CI reads', () => {
    const last = summarize([{ label: 'node24', report: undefined }])
      .split('\n')
      .at(-1)!;
    expect(last).toBe('tests: 0 passed, 1 failed, 0 skipped');
    expect(last).toMatch(/^(\w+: )?\d+ passed, \d+ failed(, \d+ skipped)?$/);
  });
});
