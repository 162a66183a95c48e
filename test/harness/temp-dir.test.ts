import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { TEMP_DIR_PREFIX, tempDir } from './temp-dir.js';
import { REPO_ROOT } from './tools.js';

describe('tempDir', () => {
  const shared = tempDir('temp-dir-shared');
  let madeInTest = '';

  it('makes a fresh, empty folder whose name says who made it', () => {
    madeInTest = tempDir('temp-dir-test');
    expect(basename(madeInTest)).toMatch(new RegExp(`^${TEMP_DIR_PREFIX}temp-dir-test-\\w{6}$`));
    expect(readdirSync(madeInTest)).toEqual([]);
    expect(tempDir('temp-dir-test')).not.toBe(madeInTest);
    // Contents, nested too, go with the folder.
    mkdirSync(join(madeInTest, 'nested'));
    writeFileSync(join(madeInTest, 'nested', 'file'), 'x');
  });

  it('removed the folder made in the previous test when it finished, and keeps one made outside tests', () => {
    expect(madeInTest).not.toBe('');
    expect(existsSync(madeInTest)).toBe(false);
    expect(existsSync(shared)).toBe(true);
  });

  it('removes the folders a test file made at module scope, in beforeAll and in describe once the file ends', async () => {
    const report = join(tempDir('temp-dir-report'), 'made.json');
    const vitest = await startVitest('test', [], {
      config: false,
      root: REPO_ROOT,
      include: ['test/harness/temp-dir.fixture.ts'],
      watch: false,
      // Quiet: the outcome is read from vitest.state.
      reporters: [{}],
      env: { TEMP_DIR_REPORT: report },
    });
    await vitest.close();
    expect(vitest.state.getCountOfFailedTests()).toBe(0);
    const made = JSON.parse(readFileSync(report, 'utf8')) as string[];
    expect(made).toHaveLength(4);
    expect(made.filter((dir) => existsSync(dir))).toEqual([]);
  }, 60_000);
});
