import { type ChildProcess, spawn } from 'node:child_process';
import { main } from '../../packages/cli/src/main.js';
import { REPO_ROOT } from './tools.js';

/** Runs the CLI in-process with its own environment, capturing what it writes. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
  });
  return { code, stdout, stderr };
}

/** The CLI in its own process, from source, as a pod runs it: for signals and long-running servers. */
export function spawnCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  { inherit = false }: { inherit?: boolean } = {},
): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=@arangops/source', '--import', 'tsx', 'packages/cli/src/bin.ts', ...argv],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: inherit ? 'inherit' : 'ignore' },
  );
}
