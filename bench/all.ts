/**
 * `npm run bench`: every benchmark, one after the other (each in its own process, with its own
 * node flags from its `bench:<name>` script), then one table of every figure with its baseline,
 * ratio and target. A benchmark that fails is named and makes the run exit non-zero; the others
 * still run.
 *
 *   node --import tsx bench/all.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFigures, table } from './report.js';

const BENCHES = ['sim', 'exporter', 'backup', 'verify'];

const dir = mkdtempSync(join(tmpdir(), 'arangops-bench-'));
const results = join(dir, 'figures.jsonl');
const failed: string[] = [];
try {
  for (const bench of BENCHES) {
    console.log(`\n== bench:${bench}`);
    const run = spawnSync('npm', ['run', '--silent', `bench:${bench}`], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_RESULTS: results },
    });
    if (run.status !== 0) failed.push(`bench:${bench} (exit ${run.status ?? run.signal})`);
  }
  console.log(
    `\n== every figure (node ${process.version}; ratios within this run, the machine may be shared)\n`,
  );
  console.log(table(readFigures(results)));
  if (failed.length) {
    console.error(`\nfailed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
