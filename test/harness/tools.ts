/**
 * Finds the external tools tests use. In CI (`CI=true`) a missing tool is a
 * failure; elsewhere the caller gets undefined and prints a visible SKIP line.
 * Tools are looked up in the project's .tools/bin first (where
 * scripts/install-test-tools.sh puts Go and Python tools), then on PATH.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const TOOLS_BIN = join(REPO_ROOT, '.tools', 'bin');
export const IN_CI = process.env.CI === 'true';

export type ToolName =
  | 'promtool'
  | 'prometheus'
  | 'amtool'
  | 'chromium'
  | 'moto_server'
  | 'helm'
  | 'kubeconform'
  | 'helm-unittest';

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

/**
 * The tool's path, or undefined after printing a SKIP line (outside CI only).
 * Run `bash scripts/install-test-tools.sh` to install them all.
 */
export function requireTool(name: ToolName, purpose: string): string | undefined {
  const path = findTool(name);
  if (path) return path;
  const message = `${name} not found (needed for ${purpose}); run: bash scripts/install-test-tools.sh`;
  if (IN_CI) throw new Error(`CI: ${message}`);
  console.warn(`SKIP: ${message}`);
  return undefined;
}
