/**
 * Temporary folders for tests, removed by the test run itself so that shared
 * CI machines do not fill up with one folder per run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished, TestRunner } from 'vitest';

/** Every folder a test run makes starts with this, so a leak is easy to spot in the temp dir. */
export const TEMP_DIR_PREFIX = 'arangops-';

const untilFileEnds = new Set<string>();

// Registered while the importing test file is collected, so the hook belongs to
// that file (vitest gives every test file its own copy of this module). Being
// registered before any hook of the file itself, it runs after them (after-hooks
// run in reverse order): a process a file stops in its afterAll is gone before
// its folder is removed.
afterAll(() => {
  for (const dir of untilFileEnds) remove(dir);
  untilFileEnds.clear();
});

function remove(dir: string): void {
  // Retries cover a child process that is still flushing files as it exits.
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Creates `<os temp dir>/arangops-<name>-XXXXXX` and returns its path.
 *
 * Made inside a test (or its beforeEach/afterEach), the folder is removed when
 * that test finishes. Made anywhere else (module scope, a describe body,
 * beforeAll), it lives until the test file finishes, so tests may share it.
 */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${TEMP_DIR_PREFIX}${name}-`));
  if (TestRunner.getCurrentTest()) onTestFinished(() => remove(dir));
  else untilFileEnds.add(dir);
  return dir;
}
