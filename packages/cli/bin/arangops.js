#!/usr/bin/env node
// Committed, unlike dist/, so that `npm ci` links the `arangops` command before the first build.
try {
  await import('../dist/bin.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist/bin.js')) throw e;
  process.stderr.write(
    'arangops: not built yet; run `npm run build` (or `npm start`) in the repository first\n',
  );
  process.exitCode = 2;
}
