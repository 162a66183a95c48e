/**
 * The weekly report from a synthetic 12-week store history, through the real
 * store, result and report code: the verdict and what to do first, the trends
 * (values and bar heights in the SVG), the JSON against its published schema,
 * and the Markdown stating the same facts as the HTML page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildRunReport,
  formatAge,
  isoWeekOf,
  lastCompleteWeek,
  openStore,
  parseIsoWeek,
  runReportHtml,
  runReportJsonSchema,
  runReportMarkdown,
  type WeeklyReport,
  weeklyReportJsonSchema,
  writeWeeklyReport,
} from '@arangops/backup';
import { clearRegisteredSecrets, registerSecret } from '@arangops/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { motoAws, newBucket } from '../backup/helpers.js';
import { requireMoto } from '../harness/moto.js';
import { tempDir } from '../harness/temp-dir.js';
import { htmlText, markdownText, reportFacts, validator, withoutBackticks } from './facts.js';
import {
  DIGEST_REASON,
  fileStoreAt,
  type SyntheticHistory,
  syntheticHistory,
  verifyResult,
  weekly,
} from './synthetic.js';

const PACKAGE = join(import.meta.dirname, '../../packages/backup');
const WEEK = parseIsoWeek('2026-W48');
const UNVERIFIED_WEEK = 3;

describe('ISO weeks', () => {
  it('parse, name and default to the last complete week (UTC)', () => {
    expect(WEEK.from.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(WEEK.to.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(lastCompleteWeek(new Date('2026-12-05T04:00:00Z')).name).toBe('2026-W48');
    // Monday 00:00 starts a week: the one before it has just ended.
    expect(lastCompleteWeek(new Date('2026-11-30T00:00:00Z')).name).toBe('2026-W48');
    expect(isoWeekOf(new Date('2027-01-01T12:00:00Z')).name).toBe('2026-W53');
    expect(isoWeekOf(new Date('2025-12-29T00:00:00Z')).name).toBe('2026-W01');
    expect(() => parseIsoWeek('2025-W53')).toThrow(/2025 has no week 53/);
    expect(() => parseIsoWeek('2026-49')).toThrow(/--week: not an ISO week: "2026-49"/);
  });
});

describe('weekly report from a 12-week history', () => {
  let history: SyntheticHistory;
  let report: WeeklyReport;
  let html: string;
  let markdown: string;
  let reportDir: string;

  beforeAll(async () => {
    const dir = tempDir('report-weekly');
    reportDir = join(dir, 'out');
    history = await syntheticHistory(fileStoreAt(join(dir, 'store')), {
      week: WEEK,
      unverified: [UNVERIFIED_WEEK],
      failLastWeek: true,
    });
    const written = await writeWeeklyReport(history.store, WEEK, {
      toolVersion: 'test',
      rpoHours: 26,
      now: new Date(WEEK.to.getTime() + 3_600_000),
      reportDir,
    });
    report = written.report;
    html = readFileSync(written.dir!.html, 'utf8');
    markdown = readFileSync(written.dir!.markdown, 'utf8');
    expect(written.store.html).toBe(`${history.store.url.replace(/\/?$/, '/')}reports/weekly/2026-W48.html`);
    expect(JSON.parse(readFileSync(written.dir!.json, 'utf8'))).toEqual(report);
  });

  it('puts the failed check, its reason and what to do first', () => {
    expect(report.verdict).toBe('fail');
    const first = report.problems[0]!;
    expect(first).toMatchObject({
      severity: 'fail',
      subject: `full verification of ${history.lastWeekBackups[6]}: digest`,
      reason: DIGEST_REASON,
      runbook: {
        section: 'ArangoOpsVerificationFailed',
        url: 'docs/runbooks.md#arangoopsverificationfailed',
      },
    });
    expect(first.action).toBe(
      `The restored documents differ from the backed-up ones: keep the last backup that passed and reproduce with \`arangops verify ${history.lastWeekBackups[6]}\`.`,
    );
    // The drift finding is a warning, after the failure.
    expect(report.problems.map((p) => p.severity)).toEqual(['fail', 'warn']);
    expect(report.problems[1]!.reason).toMatch(
      /1 of 7 drift check\(s\) found drift; the last found 2 item\(s\)/,
    );
    // In the page, the verdict and the failure come before everything else.
    const text = htmlText(html);
    expect(text.indexOf('FAILED: 1 problem needs action')).toBeGreaterThan(0);
    expect(text.indexOf(DIGEST_REASON)).toBeLessThan(text.indexOf('This week at a glance'));
  });

  it('lists every backup and verification of the week, and the oldest backup age', () => {
    expect(report.backups.map((b) => b.id)).toEqual(history.lastWeekBackups);
    expect(report.verifications.map((v) => v.kind)).toEqual(['cheap', 'full']);
    expect(report.summary).toMatchObject({
      backups: 7,
      completeBackups: 7,
      verifications: 2,
      fullVerifications: 1,
      failedVerifications: 1,
      driftRuns: 7,
      driftRunsWithFindings: 1,
      rpoSeconds: 26 * 3600,
    });
    // Daily at 02:00: the newest backup is 24 h old just before each next one.
    expect(report.summary.oldestBackupAge).toEqual({
      seconds: 86_400,
      at: '2026-11-23T02:00:00.000Z',
      backupId: expect.stringMatching(/^20261122T020000Z-/),
    });
    expect(htmlText(html)).toContain(
      `Oldest backup age seen ${formatAge(86_400)} (RPO ${formatAge(26 * 3600)})`,
    );
  });

  it('draws the trends of the last 12 weeks with the right values and bar heights', () => {
    expect(report.trends.map((t) => t.week)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-W${String(37 + i).padStart(2, '0')}`),
    );
    const expected = {
      'trend-rto': report.trends.map((_, i) => (i === UNVERIFIED_WEEK ? null : weekly.rtoSeconds(i))),
      'trend-size': report.trends.map((_, i) => history.storedBytes.get(history.newestPerWeek[i]!)!),
      'trend-duration': report.trends.map((_, i) => weekly.backupSeconds(i)),
    };
    expect(report.trends.map((t) => t.rtoSeconds)).toEqual(expected['trend-rto']);
    expect(report.trends.map((t) => t.backupBytes)).toEqual(expected['trend-size']);
    expect(report.trends.map((t) => t.backupSeconds)).toEqual(expected['trend-duration']);

    for (const [id, values] of Object.entries(expected)) {
      const svg = new RegExp(`<svg[^>]*id="${id}"[\\s\\S]*?</svg>`).exec(html)?.[0];
      expect(svg, id).toBeDefined();
      const bars = [
        ...svg!.matchAll(/<rect class="bar" data-week="([^"]+)" data-value="([^"]+)"[^>]*height="([^"]+)"/g),
      ];
      const drawn = values.flatMap((v, i) => (v === null ? [] : [[report.trends[i]!.week, v] as const]));
      expect(bars.map((b) => [b[1], Number(b[2])])).toEqual(drawn);
      // Heights in proportion to the values: the largest bar fills the plot.
      const max = Math.max(...drawn.map(([, v]) => v));
      const tallest = Math.max(...bars.map((b) => Number(b[3])));
      for (const b of bars) expect(Number(b[3]) / tallest).toBeCloseTo(Number(b[2]) / max, 2);
      // Growing numbers, growing bars.
      const heights = bars.map((b) => Number(b[3]));
      expect(heights).toEqual([...heights].sort((a, b) => a - b));
      // A week without a value says so instead of drawing nothing.
      const gaps = values.filter((v) => v === null).length;
      expect(svg!.match(/class="nodata"/g)?.length ?? 0).toBe(gaps);
    }
    expect(html).toContain('data-week="2026-W40" x=');
  });

  it('validates against its published JSON Schema', () => {
    const published = JSON.parse(readFileSync(join(PACKAGE, 'weekly-report.schema.json'), 'utf8'));
    expect(published).toEqual(weeklyReportJsonSchema());
    expect(JSON.parse(readFileSync(join(PACKAGE, 'run-report.schema.json'), 'utf8'))).toEqual(
      runReportJsonSchema(),
    );
    const validate = validator(published);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    // The schema is not a formality: a report without its verdict does not validate.
    const { verdict: _, ...withoutVerdict } = report;
    expect(validate(withoutVerdict)).toBe(false);
  });

  it('the Markdown states the same facts as the HTML page', () => {
    const facts = reportFacts(report);
    expect(facts.length).toBeGreaterThan(60);
    const md = markdownText(markdown);
    const text = htmlText(html);
    for (const fact of facts) {
      expect(md, fact).toContain(fact);
      expect(text, fact).toContain(withoutBackticks(fact));
    }
  });

  it('is self-contained: no external asset, no script', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(existsSync(join(reportDir, 'weekly/2026-W48.md'))).toBe(true);
  });

  it('a good week passes, and a week of the history says what is missing', async () => {
    const before = await writeWeeklyReport(history.store, parseIsoWeek('2026-W47'), {
      toolVersion: 'test',
      rpoHours: 26,
      now: WEEK.to,
    });
    expect(before.report.verdict).toBe('pass');
    expect(before.report.problems).toEqual([]);
    expect(htmlText(before.report && readFileSync(new URL(before.store.html), 'utf8'))).toContain(
      'PASSED: every check passed',
    );
    const unverified = await writeWeeklyReport(history.store, parseIsoWeek('2026-W40'), {
      toolVersion: 'test',
      rpoHours: 26,
      now: WEEK.to,
    });
    expect(unverified.report.problems.map((p) => p.subject)).toEqual(['no full verification this week']);
    expect(unverified.report.problems[0]!.runbook?.section).toBe('ArangoOpsVerificationNotRun');
    // A week with nothing at all in the store: every absence is a failure.
    const empty = await writeWeeklyReport(history.store, parseIsoWeek('2026-W30'), {
      toolVersion: 'test',
      rpoHours: 26,
      now: WEEK.to,
    });
    expect(empty.report.problems.map((p) => p.subject)).toEqual([
      'no complete backup this week',
      'no full verification this week',
      'recovery point objective broken',
    ]);
  });
});

describe('secrets in stored text', () => {
  it('a registered secret quoted in a check reason reaches no rendering', () => {
    const secret = 'Pa55-w0rd-of-the-backup-user';
    registerSecret(secret);
    try {
      const result = verifyResult('20261129T020000Z-codevaldcortex-0a0b', WEEK.from, {
        rto: 5,
        failDigest: true,
      });
      result.checks.at(-1)!.reason = `login as backup:${secret} refused`;
      const run = buildRunReport({ location: 'file:///s/results/r.json', result }, 'file:///s/', {
        toolVersion: 'test',
        rpoHours: 26,
      });
      for (const text of [JSON.stringify(run), runReportMarkdown(run), runReportHtml(run)]) {
        expect(text).not.toContain(secret);
        expect(text).toContain('login as backup:[REDACTED] refused');
      }
    } finally {
      clearRegisteredSecrets();
    }
  });
});

describe('weekly report from an S3 store (moto)', () => {
  it('reads the history from S3 and writes the report beside it', async (ctx) => {
    const motoUrl = requireMoto(ctx);
    const store = openStore(`s3://${await newBucket(motoUrl)}/prod`, { aws: motoAws(motoUrl) });
    try {
      const history = await syntheticHistory(store, { week: WEEK, failLastWeek: true });
      const written = await writeWeeklyReport(store, WEEK, {
        toolVersion: 'test',
        rpoHours: 26,
        now: WEEK.to,
      });
      expect(written.store.html).toMatch(
        /^s3:\/\/arangops-backup-[^/]+\/prod\/reports\/weekly\/2026-W48\.html$/,
      );
      expect(written.report.verdict).toBe('fail');
      expect(written.report.problems[0]!.reason).toBe(DIGEST_REASON);
      expect(written.report.trends.map((t) => t.backupBytes)).toEqual(
        history.newestPerWeek.map((id) => history.storedBytes.get(id)!),
      );
      const keys: string[] = [];
      for await (const o of store.list('reports/')) keys.push(o.key);
      expect(keys).toEqual([
        'reports/weekly/2026-W48.html',
        'reports/weekly/2026-W48.json',
        'reports/weekly/2026-W48.md',
      ]);
    } finally {
      store.close();
    }
  }, 120_000);
});
