/**
 * Every `arangops` command the docs tell an operator to run exists as written: each command and
 * subcommand is listed by the `--help` above it, and each flag is an option of that command.
 * Commands are read from the shell blocks of docs/*.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './harness/cli.js';
import { commandsOf, optionsOf } from './harness/cli-help.js';
import { REPO_ROOT } from './harness/tools.js';

const docs = readdirSync(join(REPO_ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);

/** `arangops …` invocations in ```sh blocks, continuation lines joined, comments dropped. */
function invocations(text: string): string[][] {
  const found: string[][] = [];
  for (const [, block] of text.matchAll(/^ *```(?:sh|bash|shell)\n([\s\S]*?)^ *```/gm)) {
    const lines = (block ?? '').replace(/\\\n\s*/g, ' ').split('\n');
    for (const line of lines) {
      const code = line.replace(/\s#.*$/, '');
      // Where a command starts (a line, after && | ; or $( and any VAR=value), not `helm install arangops`.
      const command = /(?:^|&&|\||;|\$\()\s*(?:[A-Z_]+=\S*\s+)*(?:npx\s+)?arangops\s+([^|&;)]*)/g;
      for (const [, args] of code.matchAll(command)) {
        found.push((args ?? '').trim().split(/\s+/));
      }
    }
  }
  return found;
}

const help = async (path: string[]) => (await runCli([...path, '--help'])).stdout;

/** Why the invocation is not one the CLI accepts, or undefined. */
async function problem(args: string[]): Promise<string | undefined> {
  const path: string[] = [];
  let page = await help(path);
  for (const word of args) {
    if (word.startsWith('-')) break;
    const commands = commandsOf(page);
    if (commands.size === 0) break; // an argument, not a subcommand
    if (!commands.has(word)) return `\`arangops ${path.join(' ')} --help\` lists no command "${word}"`;
    path.push(word);
    page = await help(path);
  }
  if (path.length === 0) return 'no command';
  const options = optionsOf(page);
  for (const flag of args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0] as string)) {
    if (!options.has(flag)) return `\`arangops ${path.join(' ')} --help\` has no option ${flag}`;
  }
  return undefined;
}

describe('commands in the docs', () => {
  it.each(docs)('%s: every arangops command exists with its flags', async (name) => {
    const problems: string[] = [];
    for (const args of invocations(readFileSync(join(REPO_ROOT, name), 'utf8'))) {
      const why = await problem(args);
      if (why) problems.push(`arangops ${args.join(' ')}: ${why}`);
    }
    expect(problems).toEqual([]);
  });

  it('finds the commands, and rejects a command or flag that does not exist', async () => {
    const ops = invocations(readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8'));
    expect(ops.map((a) => a.slice(0, 2).join(' '))).toContain('backup restore');
    expect(
      invocations(
        '   ```sh\n   helm install arangops charts/arangops\n   ARANGO_URL=x npx arangops drift \\\n     --fail-on additive\n   ```\n',
      ),
    ).toEqual([['drift', '--fail-on', 'additive']]);
    expect(await problem(['backup', 'restore', 'x', '--database', 'y'])).toBeUndefined();
    expect(await problem(['backup', 'restroe', 'x'])).toBe(
      '`arangops backup --help` lists no command "restroe"',
    );
    expect(await problem(['verify', '--no-such-flag'])).toBe(
      '`arangops verify --help` has no option --no-such-flag',
    );
  });
});
