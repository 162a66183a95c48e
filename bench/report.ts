/**
 * The one way a benchmark reports a figure: printed as a line where it is measured, and appended
 * as JSON to the file named by BENCH_RESULTS (set by bench/all.ts, which prints every bench's
 * figures as one table at the end). Figures are printed, never asserted: the machine is shared.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export interface Figure {
  /** What is measured, e.g. "scrape latency p50". */
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the baseline measured in the same run (absent for an absolute target). */
  baseline?: { name: string; value: number };
  /** The ratio as the target states it (e.g. ours/baseline throughput, or scrape/raw latency). */
  ratio?: number;
  /** e.g. "≥ 0.7", "≤ 1.5", "< 256 MiB"; absent where the figure is for information. */
  target?: string;
}

export interface BenchFigure extends Figure {
  bench: string;
}

const number = (v: number) =>
  Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(Math.abs(v) >= 10 ? 1 : 2);

export function figure(bench: string, f: Figure): void {
  const baseline = f.baseline ? `   ${f.baseline.name} ${number(f.baseline.value)} ${f.unit}` : '';
  const ratio = f.ratio === undefined ? '' : `   ratio ${f.ratio.toFixed(2)}`;
  const target = f.target ? ` (target ${f.target})` : '';
  console.log(`  ${f.name.padEnd(28)} ${number(f.value)} ${f.unit}${baseline}${ratio}${target}`);
  const file = process.env.BENCH_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify({ bench, ...f } satisfies BenchFigure)}\n`);
}

export function readFigures(file: string): BenchFigure[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BenchFigure);
}

/** One table: bench, figure, value, baseline, ratio, target. */
export function table(figures: BenchFigure[]): string {
  const rows = [
    ['bench', 'figure', 'value', 'baseline', 'ratio', 'target'],
    ...figures.map((f) => [
      f.bench,
      f.name,
      `${number(f.value)} ${f.unit}`,
      f.baseline ? `${number(f.baseline.value)} ${f.unit} (${f.baseline.name})` : '—',
      f.ratio === undefined ? '—' : f.ratio.toFixed(2),
      f.target ?? '—',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
