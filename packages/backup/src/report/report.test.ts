import { describe, expect, it } from 'vitest';
import type { Manifest } from '../format/manifest.js';
import type { BackupListing } from '../job/list-backups.js';
import { buildWeeklyReport } from './build.js';
import { formatAge, formatBytes, formatSeconds } from './format.js';
import { runReportHtml } from './html.js';
import { parseIsoWeek } from './iso-week.js';
import { barChartSvg } from './svg.js';

const WEEK = parseIsoWeek('2026-W49');
const OPTIONS = { toolVersion: 't', rpoHours: 26 };

function listing(at: string, complete = true): BackupListing {
  const createdAt = new Date(at);
  return {
    backupId: `${at.replace(/[-:]/g, '').replace(/\.\d+/, '')}-db-0000`,
    database: 'db',
    createdAt,
    complete,
    ...(complete ? {} : { problem: 'no manifest' }),
    objects: 2,
    storedBytes: 100,
    lastModified: createdAt,
    ...(complete
      ? {
          manifest: {
            startedAt: createdAt.toISOString(),
            finishedAt: new Date(createdAt.getTime() + 90_000).toISOString(),
            collections: [{ documents: 5 }],
          } as unknown as Manifest,
        }
      : {}),
  };
}

const inputs = (listings: BackupListing[]) => ({
  store: 'file:///s/',
  listings,
  results: [],
  runs: [],
  unreadable: [],
});

describe('weekly report model', () => {
  it('the oldest backup age: peaks before each backup, from the last backup before the week, up to now', () => {
    const r = buildWeeklyReport(
      inputs([
        listing('2026-11-28T02:00:00Z'),
        listing('2026-12-02T02:00:00Z'),
        listing('2026-12-03T02:00:00Z'),
      ]),
      WEEK,
      { ...OPTIONS, now: new Date('2026-12-05T02:00:00Z') },
    );
    // Saturday 02:00 of the week before to Wednesday 02:00 without a backup: 96 h.
    expect(r.summary.oldestBackupAge).toEqual({
      seconds: 96 * 3600,
      at: '2026-12-02T02:00:00.000Z',
      backupId: '20261128T020000Z-db-0000',
    });
    expect(r.problems.map((p) => p.subject)).toEqual([
      'no full verification this week',
      'recovery point objective broken',
    ]);
    expect(r.problems[1]!.reason).toBe(
      'the newest backup was 4 d 0 h old at 2026-12-02T02:00:00.000Z, more than the 26 h RPO',
    );
    expect(r.backups[1]).toMatchObject({ durationSeconds: 90, documents: 5, complete: true });
  });

  it('a store whose first backup is in the week: the RPO counts from that backup, with a warning', () => {
    const r = buildWeeklyReport(
      inputs([listing('2026-12-02T02:00:00Z'), listing('2026-12-03T02:00:00Z')]),
      WEEK,
      { ...OPTIONS, now: new Date('2026-12-04T01:00:00Z') },
    );
    // Not Monday 00:00 to Wednesday 02:00 (nothing existed to be old): the worst is the 24 h before Thursday's.
    expect(r.summary.oldestBackupAge).toEqual({
      seconds: 24 * 3600,
      at: '2026-12-03T02:00:00.000Z',
      backupId: '20261202T020000Z-db-0000',
    });
    expect(r.problems.map((p) => [p.severity, p.subject])).toEqual([
      ['fail', 'no full verification this week'],
      ['warn', 'backup history starts this week'],
    ]);
    expect(r.problems[1]!.reason).toBe(
      "the store's first complete backup was taken at 2026-12-02T02:00:00.000Z; the RPO is measured from then",
    );
  });

  it('an incomplete backup is a failure once it can no longer be in progress', () => {
    const stale = buildWeeklyReport(inputs([listing('2026-11-30T02:00:00Z', false)]), WEEK, {
      ...OPTIONS,
      now: new Date('2026-12-07T00:00:00Z'),
    });
    expect(stale.problems[0]).toMatchObject({
      subject: 'backup 20261130T020000Z-db-0000 is incomplete',
      reason: 'no manifest',
      runbook: { section: 'ArangoOpsBackupFailed' },
    });
    const running = buildWeeklyReport(inputs([listing('2026-11-30T02:00:00Z', false)]), WEEK, {
      ...OPTIONS,
      now: new Date('2026-11-30T03:00:00Z'),
    });
    expect(running.problems.map((p) => p.subject)).not.toContain(
      'backup 20261130T020000Z-db-0000 is incomplete',
    );
  });
});

describe('bar chart', () => {
  it('no data at all: every week says so, and no bar is drawn', () => {
    const svg = barChartSvg({
      id: 'c',
      title: 'T',
      points: [
        { week: '2026-W48', value: null },
        { week: '2026-W49', value: null },
      ],
      format: String,
    });
    expect(svg).not.toContain('<rect');
    expect(svg.match(/no data<\/text>/g)).toHaveLength(2);
    expect(svg).toContain('<desc id="c-desc">No data in these weeks.</desc>');
  });

  it('zero values draw flat bars, not NaN', () => {
    const svg = barChartSvg({
      id: 'z',
      title: 'T',
      points: [{ week: '2026-W49', value: 0 }],
      format: String,
    });
    expect(svg).toContain('height="0.00"');
    expect(svg).not.toContain('NaN');
  });
});

describe('rendering', () => {
  it('escapes what the stored results say', () => {
    const html = runReportHtml({
      schemaVersion: 1,
      kind: 'run',
      tool: { name: 'arangops', version: 't' },
      generatedAt: '2026-12-05T00:00:00.000Z',
      store: 'file:///s/',
      verdict: 'pass',
      problems: [],
      verification: {
        result: 'r',
        backupId: 'b',
        kind: 'cheap',
        startedAt: '2026-12-05T00:00:00.000Z',
        finishedAt: '2026-12-05T00:00:01.000Z',
        verdict: 'pass',
        durationSeconds: 1,
        restoredDocuments: 0,
        checks: [{ name: 'query:<x>', status: 'pass', reason: '<script>alert(1)</script> & "q"' }],
      },
      databases: [],
      phases: {},
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;');
  });

  it('formats numbers a person reads at a glance', () => {
    expect([
      formatAge(59),
      formatAge(3599),
      formatAge(86_400),
      formatAge(93_600),
      formatAge(200_000),
    ]).toEqual(['59 s', '59 min', '24 h', '26 h', '2 d 7 h']);
    expect([formatSeconds(0), formatSeconds(4.321), formatSeconds(42), formatSeconds(150)]).toEqual([
      '0 s',
      '4.32 s',
      '42.0 s',
      '2.5 min',
    ]);
    expect([formatBytes(512), formatBytes(10_240), formatBytes(5 * 1024 ** 3)]).toEqual([
      '512 B',
      '10.0 KiB',
      '5.00 GiB',
    ]);
  });
});
