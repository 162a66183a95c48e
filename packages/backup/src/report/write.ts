/**
 * Writing a report: JSON, Markdown and HTML side by side, to the store's
 * `reports/` and, when asked, to a local folder (same relative names).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { REPORTS_PREFIX } from '../format/layout.js';
import type { BackupStore } from '../store/types.js';
import { storeLocation } from '../verify/results.js';
import { buildRunReport, buildWeeklyReport, TREND_WEEKS } from './build.js';
import { runReportHtml, weeklyReportHtml } from './html.js';
import type { ReportOptions, StoredResult } from './inputs.js';
import { type IsoWeek, weeksEndingWith } from './iso-week.js';
import { type LoadOptions, loadReportInputs } from './load.js';
import { runReportMarkdown, weeklyReportMarkdown } from './markdown.js';
import type { RunReport, WeeklyReport } from './schema.js';

export interface WriteReportOptions extends ReportOptions {
  /** Also write the files here (`--report-dir`, ARANGOPS_REPORT_DIR). */
  reportDir?: string;
}

export interface ReportFiles {
  json: string;
  markdown: string;
  html: string;
}

export interface WrittenReport<R> {
  report: R;
  /** Where in the store (URLs). */
  store: ReportFiles;
  /** Where in the report folder (paths), when one was given. */
  dir?: ReportFiles;
}

const EXTENSIONS = { json: '.json', markdown: '.md', html: '.html' } as const;

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

async function writeFiles<R>(
  store: BackupStore,
  stem: string,
  report: R,
  render: { markdown: (r: R) => string; html: (r: R) => string },
  reportDir: string | undefined,
): Promise<WrittenReport<R>> {
  const texts = {
    json: `${JSON.stringify(report, null, 2)}\n`,
    markdown: render.markdown(report),
    html: render.html(report),
  };
  const kinds = Object.keys(EXTENSIONS) as (keyof ReportFiles)[];
  const out: Partial<ReportFiles> = {};
  const local: Partial<ReportFiles> = {};
  // The local copy first: a person running the command wants it even when the store refuses.
  for (const kind of kinds) {
    if (reportDir === undefined) break;
    local[kind] = join(reportDir, `${stem}${EXTENSIONS[kind]}`);
    await writeAtomically(local[kind], texts[kind]);
  }
  // HTML last: its presence means the set is whole.
  for (const kind of kinds) {
    const key = `${REPORTS_PREFIX}${stem}${EXTENSIONS[kind]}`;
    await store.put(key, texts[kind]);
    out[kind] = storeLocation(store, key);
  }
  return {
    report,
    store: out as ReportFiles,
    ...(reportDir !== undefined ? { dir: local as ReportFiles } : {}),
  };
}

/** The weekly report of `week` from what the store holds; written to `reports/weekly/<week>.*`. */
export async function writeWeeklyReport(
  store: BackupStore,
  week: IsoWeek,
  options: WriteReportOptions & Pick<LoadOptions, 'key'>,
): Promise<WrittenReport<WeeklyReport>> {
  const inputs = await loadReportInputs(store, {
    ...(options.key ? { key: options.key } : {}),
    since: weeksEndingWith(week, TREND_WEEKS)[0]!.from,
    until: week.to,
  });
  const report = buildWeeklyReport(inputs, week, options);
  return writeFiles(
    store,
    `weekly/${week.name}`,
    report,
    { markdown: weeklyReportMarkdown, html: weeklyReportHtml },
    options.reportDir,
  );
}

/**
 * The report of one verification, written to `reports/runs/<result's name>.*`.
 * `stored` is the result and where `writeResult` put it (its return value).
 */
export async function writeRunReport(
  store: BackupStore,
  stored: StoredResult,
  options: WriteReportOptions,
): Promise<WrittenReport<RunReport>> {
  const report = buildRunReport(stored, store.url, options);
  return writeFiles(
    store,
    `runs/${basename(stored.location).replace(/\.json$/, '')}`,
    report,
    { markdown: runReportMarkdown, html: runReportHtml },
    options.reportDir,
  );
}
