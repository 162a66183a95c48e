// The closing lines of the test command, from vitest's JSON reports (one per run, e.g. one per
// Node.js version): a line per run, the test files that failed to load, then the one line CI
// reads, "tests: N passed, N failed, N skipped", over all runs.
// A file that fails to load has no failed test of its own; it counts as one failure, and so does
// a run that wrote no report. Usage: node --import tsx scripts/test-summary.ts label=report.json ...
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The parts of vitest's JSON report (`--reporter=json`) the summary reads. */
export interface VitestReport {
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ status: string }>;
  }>;
}

export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
  broken: string[];
}

export interface Run {
  label: string;
  /** Undefined when the run wrote no report. */
  report?: VitestReport;
}

const SKIPPED = new Set(['skipped', 'pending', 'todo', 'disabled']);

/** Counts of one run; `broken` lists the files that failed to load, with vitest's reason. */
export function countRun(report: VitestReport): RunCounts {
  const counts: RunCounts = { passed: 0, failed: 0, skipped: 0, broken: [] };
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      if (test.status === 'passed') counts.passed++;
      else if (test.status === 'failed') counts.failed++;
      else if (SKIPPED.has(test.status)) counts.skipped++;
    }
    if (file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed')) {
      const reason = (file.message ?? '').split('\n')[0];
      counts.broken.push(`${relative(process.cwd(), file.name)}${reason ? `: ${reason}` : ''}`);
    }
  }
  return counts;
}

export function summarize(runs: Run[]): string {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const lines: string[] = [];
  const broken: string[] = [];
  for (const { label, report } of runs) {
    if (!report) {
      lines.push(`${label}: wrote no report (vitest did not finish)`);
      total.failed++;
      continue;
    }
    const c = countRun(report);
    lines.push(
      `${label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped; ${c.broken.length} files failed to load`,
    );
    broken.push(...c.broken.map((file) => `  ${label}: ${file}`));
    total.passed += c.passed;
    total.failed += c.failed + c.broken.length;
    total.skipped += c.skipped;
  }
  lines.push(`test files that failed to load: ${broken.length}`, ...broken);
  lines.push(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = process.argv.slice(2).map((arg): Run => {
    const eq = arg.indexOf('=');
    const [label, file] = [arg.slice(0, eq), arg.slice(eq + 1)];
    return {
      label,
      report: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as VitestReport) : undefined,
    };
  });
  console.log(summarize(runs));
}
