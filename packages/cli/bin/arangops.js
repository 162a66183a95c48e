#!/usr/bin/env node
// Committed, unlike dist/, so that `npm ci` links the `arangops` command before the first build.

// The exporter runs for months, scraped every few seconds: a young generation of 1 MiB (V8's
// default grows it to 16 MiB) keeps its resident size 13–18 % lower for 8–25 % more CPU per
// scrape (packages/exporter/README.md, "Memory"). V8 sizes its heap only at start,
// so the process replaces itself with one started with the flag, where Node.js can (22.15+:
// process.execve, same PID, nothing left behind); a flag set in NODE_OPTIONS or on the command
// line is the operator's and wins.
const SERVING_V8_FLAGS = ['--max-semi-space-size=1'];
const args = process.argv.slice(2);
const serving =
  args.includes('exporter') && !args.some((a) => a === '--once' || a === '--help' || a === '-h');
const chosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) =>
  flag.startsWith('--max-semi-space-size'),
);
if (serving && !chosen && typeof process.execve === 'function') {
  process.execve(process.execPath, [
    process.execPath,
    ...SERVING_V8_FLAGS,
    ...process.execArgv,
    process.argv[1],
    ...args,
  ]);
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
