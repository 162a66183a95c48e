import { main } from '../../packages/cli/src/main.js';

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
