// Node.js flags and environment of the long-running commands, as measured for each. One list for
// bin/arangops.js, which starts the commands with them, and bench/exporter.ts, which runs its
// stack-only baseline under the exporter's.
export const RUNTIME_SETTINGS = [
  // Runs for months, scraped every few seconds. A heap limit far above what it keeps alive
  // switches V8 to its frugal growth policy, a 1 MiB young generation promotes fewer in-flight
  // requests, two malloc arenas stop V8's helper threads each keeping their own, glibc gives
  // freed memory back from 128 KiB on, and maps blocks from 32 KiB on (each socket read takes
  // 64 KiB) apart rather than fragment its arenas with them: 108–116 instead of 217 MiB after
  // 1,000 scrapes (packages/exporter/README.md, "Memory on Node.js 24").
  {
    command: ['exporter'],
    flags: ['--max-semi-space-size=1', '--max-old-space-size=256'],
    env: { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072', MALLOC_MMAP_THRESHOLD_: '32768' },
  },
  // Streams bounded batches: with a heap limit far above what it keeps alive, V8 collects before
  // it grows: 166 instead of 355 MiB at 2M documents, 7 % slower (README.md, "Backups").
  { command: ['backup', 'run'], flags: ['--max-semi-space-size=4', '--max-old-space-size=256'], env: {} },
];
