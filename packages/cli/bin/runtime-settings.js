// Node.js flags and environment of the long-running commands, as measured for each. One list for
// bin/arangops.js, which starts the commands with them, and bench/exporter.ts, which runs its
// stack-only baseline under the exporter's.

/**
 * Two arenas stop V8's helper threads each keeping their own; freed memory goes back to the
 * system from 128 KiB on; blocks from 32 KiB on (a socket read takes 64 KiB) are mapped apart
 * rather than fragment the arenas (setting the trim threshold fixes glibc's mmap threshold at
 * 128 KiB).
 */
const MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072', MALLOC_MMAP_THRESHOLD_: '32768' };

const RUNTIME_SETTINGS = [
  // Runs for months, scraped every few seconds. A heap limit far above what it keeps alive
  // switches V8 to its frugal growth policy, and a 1 MiB young generation promotes fewer
  // in-flight requests: 108–116 instead of 217 MiB after 1,000 scrapes
  // (packages/exporter/README.md, "Memory on Node.js 24").
  {
    command: ['exporter'],
    flags: ['--max-semi-space-size=1', '--max-old-space-size=256'],
    env: MALLOC,
  },
  // Streams bounded batches: with a heap limit far above what it keeps alive, V8 collects before
  // it grows. 150–156 instead of 355 MiB at 2M documents, 166 with the V8 flags alone (README.md,
  // "Backups").
  {
    command: ['backup', 'run'],
    flags: ['--max-semi-space-size=4', '--max-old-space-size=256'],
    env: MALLOC,
  },
];

/** The settings of the command named by `words` (its command words, in order), if it has any. */
export function runtimeSettingsFor(words) {
  return RUNTIME_SETTINGS.find(({ command }) => command.every((word, i) => words[i] === word));
}
