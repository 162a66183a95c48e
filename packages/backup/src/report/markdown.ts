/** The same facts as the HTML page, as Markdown (for a ticket, a wiki page or a chat). */
import { summaryItems, verificationFacts } from './facts.js';
import { formatBytes, formatSeconds, formatTime, formatWeekSpan, STATUS_WORD } from './format.js';
import { TREND_CHARTS } from './html.js';
import type { Problem, Report, RunReport, VerificationEntry, WeeklyReport } from './schema.js';

/** Table cells: a pipe or a line break would end the cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function verdictLines(r: Report): string[] {
  const fails = r.problems.filter((p) => p.severity === 'fail').length;
  const head =
    r.verdict === 'pass'
      ? '**Verdict: PASS** — every check passed.'
      : r.verdict === 'warn'
        ? `**Verdict: WARN** — ${r.problems.length} warning(s).`
        : `**Verdict: FAIL** — ${fails} problem(s) need action.`;
  return [head, '', ...r.problems.map(problemLine), ...(r.problems.length ? [''] : [])];
}

function problemLine(p: Problem, i: number): string {
  const runbook = p.runbook ? ` [Runbook: ${p.runbook.section}](${p.runbook.url})` : '';
  return `${i + 1}. **${STATUS_WORD[p.severity]}: ${p.subject}**  \n   Reason: ${p.reason}  \n   What to do: ${p.action}${runbook}`;
}

function verificationLines(v: VerificationEntry, level: string): string[] {
  return [
    `${level} ${STATUS_WORD[v.verdict]} — backup \`${v.backupId}\``,
    '',
    `${verificationFacts(v).join(' · ')}. Result: \`${v.result}\``,
    '',
    '| Result | Check | Reason |',
    '| --- | --- | --- |',
    ...v.checks.map(
      (c) =>
        `| ${STATUS_WORD[c.status]} | \`${cell(c.database ? `${c.database}: ${c.name}` : c.name)}\` | ${cell(c.reason)} |`,
    ),
    '',
  ];
}

function footer(r: Report): string {
  return `_Generated ${formatTime(r.generatedAt)} by ${r.tool.name} ${r.tool.version} · report schema version ${r.schemaVersion} · store \`${r.store}\`_\n`;
}

export function weeklyReportMarkdown(r: WeeklyReport): string {
  const lines = [
    `# Backup report, week ${r.week}`,
    '',
    formatWeekSpan(r.from, r.to),
    '',
    ...verdictLines(r),
    '## This week at a glance',
    '',
    ...summaryItems(r).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '## Trends over the last 12 weeks',
    '',
    `| Week | ${TREND_CHARTS.map((c) => c.title).join(' | ')} |`,
    `| --- |${TREND_CHARTS.map(() => ' ---: |').join('')}`,
    ...r.trends.map(
      (t) =>
        `| ${t.week} | ${TREND_CHARTS.map((c) => {
          const value = t[c.key];
          return value === null ? 'no data' : c.format(value);
        }).join(' | ')} |`,
    ),
    '',
    `## Verifications (${r.verifications.length})`,
    '',
    ...(r.verifications.length
      ? r.verifications.flatMap((v) => verificationLines(v, '###'))
      : ['No verification ran this week.', '']),
    `## Backups (${r.backups.length})`,
    '',
    ...(r.backups.length
      ? [
          '| Backup | Taken | State | Size | Duration | Documents |',
          '| --- | --- | --- | ---: | ---: | ---: |',
          ...r.backups.map(
            (b) =>
              `| \`${b.id}\` | ${formatTime(b.createdAt)} | ${b.complete ? 'PASS complete' : `FAIL incomplete: ${cell(b.problem ?? 'no manifest')}`} | ${formatBytes(b.storedBytes)} | ${b.durationSeconds === undefined ? '–' : formatSeconds(b.durationSeconds)} | ${b.documents ?? '–'} |`,
          ),
        ]
      : ['No backup was taken this week.']),
    '',
    `## Schema drift (${r.drift.length} check${r.drift.length === 1 ? '' : 's'})`,
    '',
    ...(r.drift.length
      ? [
          '| Checked | State | Items | Note |',
          '| --- | --- | ---: | --- |',
          ...r.drift.map(
            (d) =>
              `| ${formatTime(d.finishedAt)} | ${d.inSync ? 'PASS in sync' : 'WARN drift found'} | ${d.items} | ${cell(d.message ?? '')} |`,
          ),
        ]
      : ['No drift check ran this week.']),
    '',
    ...(r.failedRuns.length
      ? [
          '## Failed runs',
          '',
          ...r.failedRuns.map((f) => `- FAIL ${f.task} at ${formatTime(f.finishedAt)}: ${f.message}`),
          '',
        ]
      : []),
    ...(r.unreadable.length
      ? [
          '## Stored files that could not be read',
          '',
          ...r.unreadable.map((u) => `- \`${u.key}\`: ${u.reason}`),
          '',
        ]
      : []),
    footer(r),
  ];
  return lines.join('\n');
}

export function runReportMarkdown(r: RunReport): string {
  const v = r.verification;
  const lines = [
    `# Verification of ${v.backupId}`,
    '',
    `${formatTime(v.startedAt)} to ${formatTime(v.finishedAt)}`,
    '',
    ...verdictLines(r),
    '## Checks',
    '',
    ...verificationLines(v, '###'),
    '## Timings',
    '',
    '| Phase | Seconds |',
    '| --- | ---: |',
    ...Object.entries(r.phases).map(
      ([p, s]) => `| ${p}${p === 'restore' ? ' (RTO)' : ''} | ${formatSeconds(s ?? 0)} |`,
    ),
    '',
    '## Collections',
    '',
    '| Database | Collection | Type | In the backup | Restored |',
    '| --- | --- | --- | ---: | ---: |',
    ...r.databases.flatMap((d) =>
      d.collections.map(
        (c) => `| \`${d.source}\` | \`${c.name}\` | ${c.type} | ${c.expected} | ${c.restored ?? '–'} |`,
      ),
    ),
    '',
    footer(r),
  ];
  return lines.join('\n');
}
