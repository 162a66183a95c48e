#!/usr/bin/env node
// Committed, unlike dist/, so that `npm ci` links the `arangops` command before the first build.

// V8 sizes its heap only at start, and its defaults suit a machine's memory, not a container's:
// the long-running commands run with the settings measured for them (runtime-settings.js). The
// process replaces itself with one started with them where Node.js can (22.15+: process.execve,
// same PID, nothing left behind); a flag the operator set in NODE_OPTIONS or on the command line,
// or a variable set in the environment, wins.
import { runtimeSettingsFor } from './runtime-settings.js';

/** Global options that take a value, so that the value is not read as a command word. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['-c', '--config', '--set', '--log-level']);
const ONE_SHOT = new Set(['--once', '--help', '-h', '--version', '-V']);

const args = process.argv.slice(2);
const words = [];
for (let i = 0; i < args.length && words.length < 2; i++) {
  if (GLOBAL_OPTIONS_WITH_VALUE.has(args[i])) i++;
  else if (!args[i].startsWith('-')) words.push(args[i]);
}
const settings = runtimeSettingsFor(words);
const chosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
const flags = (settings?.flags ?? []).filter((flag) => !chosen.some((c) => c.startsWith(flag.split('=')[0])));
const env = Object.entries(settings?.env ?? {}).filter(([name]) => process.env[name] === undefined);
if (
  (flags.length > 0 || env.length > 0) &&
  !args.some((a) => ONE_SHOT.has(a)) &&
  typeof process.execve === 'function'
) {
  process.execve(
    process.execPath,
    [process.execPath, ...flags, ...process.execArgv, process.argv[1], ...args],
    { ...process.env, ...Object.fromEntries(env) },
  );
}

try {
  await import('../dist/bin.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist/bin.js')) throw e;
  process.stderr.write(
    'arangops: not built yet; run `npm run build` (or `npm start`) in the repository first\n',
  );
  process.exitCode = 2;
}
