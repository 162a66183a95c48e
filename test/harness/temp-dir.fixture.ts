/**
 * A test file run by temp-dir.test.ts in a vitest of its own, so that the
 * folders it makes can be checked after the file has finished.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './temp-dir.js';

const atModuleScope = tempDir('fixture-module');
let inBeforeAll = '';

beforeAll(() => {
  inBeforeAll = tempDir('fixture-before-all');
});

describe('a file that makes temporary folders', () => {
  const inDescribe = tempDir('fixture-describe');

  it('makes one in a test', () => {
    const made = [atModuleScope, inBeforeAll, inDescribe, tempDir('fixture-test')];
    expect(made.filter((dir) => !existsSync(dir))).toEqual([]);
    writeFileSync(String(process.env.TEMP_DIR_REPORT), JSON.stringify(made));
  });
});
