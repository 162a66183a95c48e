/**
 * Finds the external tools tests use. In CI (`CI=true`) a missing tool is a
 * failure; elsewhere a test that needs it reports itself skipped. Tools are looked up in the project's .tools/bin first (where
 * scripts/install-test-tools.sh puts Go and Python tools), then on PATH.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const TOOLS_BIN = join(REPO_ROOT, '.tools', 'bin');

export type ToolName =
  | 'promtool'
  | 'prometheus'
  | 'amtool'
  | 'prometheus-alertmanager'
  | 'chromium'
  | 'moto_server'
  | 'helm'
  | 'kubeconform'
  | 'helm-unittest'
  | 'hadolint';

export function findTool(name: ToolName): string | undefined {
  for (const dir of [TOOLS_BIN, ...(process.env.PATH ?? '').split(delimiter)]) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The part of vitest's test context that marks a test skipped (`ctx.skip()`; it throws). */
export interface SkippableTest {
  skip(note?: string): never;
}

/**
 * The tool's path. When it is missing: in CI an error; given a test context, the test is marked
 * skipped (so the run counts it as skipped, not passed); otherwise undefined after a SKIP line,
 * for set-up code that has no test to skip. `bash scripts/install-test-tools.sh` installs them all.
 */
export function requireTool(name: ToolName, purpose: string, test: SkippableTest): string;
export function requireTool(name: ToolName, purpose: string): string | undefined;
export function requireTool(name: ToolName, purpose: string, test?: SkippableTest): string | undefined {
  const path = findTool(name);
  if (path) return path;
  const message = `${name} not found (needed for ${purpose}); run: bash scripts/install-test-tools.sh`;
  if (process.env.CI === 'true') throw new Error(`CI: ${message}`);
  if (test) test.skip(message);
  console.warn(`SKIP: ${message}`);
  return undefined;
}
