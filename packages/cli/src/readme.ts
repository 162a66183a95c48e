/**
 * The README's generated blocks: the configuration reference and each
 * command's --help. `npm run docs` rewrites them; a test fails when the README
 * differs from what the code says.
 */
import { configReference } from '@arangops/core';
import { referenceMarkdown } from './commands/config.js';
import { appConfigSchema } from './config.js';
import { main } from './main.js';

const BLOCK = /<!-- generated:([a-z:-]+) -->\n[\s\S]*?<!-- \/generated -->/g;

async function helpOf(command: string): Promise<string> {
  let out = '';
  const argv = command === 'arangops' ? ['--help'] : [...command.split(' '), '--help'];
  // A fixed width, so the README does not depend on the terminal it was generated in.
  await main(argv, { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, helpWidth: 80 });
  return out.trimEnd();
}

async function render(name: string): Promise<string> {
  if (name === 'config-reference') return referenceMarkdown(configReference(appConfigSchema));
  if (name.startsWith('help:')) {
    const command = name.slice('help:'.length).replace(/-/g, ' ');
    return `\`\`\`text\n$ ${command === 'arangops' ? 'arangops' : `arangops ${command}`} --help\n${await helpOf(command)}\n\`\`\``;
  }
  throw new Error(`README: unknown generated block "${name}"`);
}

export async function renderReadme(readme: string): Promise<string> {
  const names = [...readme.matchAll(BLOCK)].map((m) => m[1]!);
  const bodies = new Map<string, string>();
  for (const name of names) bodies.set(name, await render(name));
  return readme.replace(
    BLOCK,
    (_all, name: string) => `<!-- generated:${name} -->\n${bodies.get(name)}\n<!-- /generated -->`,
  );
}
