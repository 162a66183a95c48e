/**
 * One self-contained HTML page per report: no external asset, no script, inline
 * SVG charts. The verdict and what failed come first: the reader who only looks
 * at the top knows what to do.
 */
import { escapeHtml as e } from './escape.js';
import { summaryItems, verificationFacts } from './facts.js';
import { formatBytes, formatSeconds, formatTime, formatWeekSpan, STATUS_WORD } from './format.js';
import { REPORT_CSS } from './html-style.js';
import type { Problem, Report, RunReport, VerificationEntry, WeeklyReport } from './schema.js';
import { barChartSvg } from './svg.js';

/** Text whose `code spans` (commands in advice) become <code>. */
function prose(text: string): string {
  return e(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const SYMBOL = { pass: '✔', fail: '✘', skipped: '–', warn: '⚠' } as const;

function status(s: keyof typeof SYMBOL): string {
  return `<span class="status ${s}"><span aria-hidden="true">${SYMBOL[s]}</span> ${STATUS_WORD[s]}</span>`;
}

function headline(report: Report): string {
  const fails = report.problems.filter((p) => p.severity === 'fail').length;
  const warns = report.problems.length - fails;
  if (report.verdict === 'pass') return 'PASSED: every check passed';
  if (report.verdict === 'warn') return `PASSED WITH ${warns} WARNING${warns === 1 ? '' : 'S'}`;
  return `FAILED: ${fails} problem${fails === 1 ? '' : 's'} need${fails === 1 ? 's' : ''} action`;
}

function problemItem(p: Problem): string {
  const runbook = p.runbook ? ` <a href="${e(p.runbook.url)}">Runbook: ${e(p.runbook.section)}</a>` : '';
  return `<li>${status(p.severity)} <strong>${e(p.subject)}</strong><span class="reason"><b>Reason:</b> ${e(p.reason)}</span><span class="action"><b>What to do:</b> ${prose(p.action)}${runbook}</span></li>`;
}

function verdictBox(report: Report): string {
  const list = report.problems.length
    ? `<ol class="problems">${report.problems.map(problemItem).join('')}</ol>`
    : '';
  return `<section class="verdict ${report.verdict}" aria-label="Verdict"><p class="headline"><span aria-hidden="true">${SYMBOL[report.verdict]}</span> ${e(headline(report))}</p>${list}</section>`;
}

function checksTable(v: VerificationEntry): string {
  const rows = v.checks
    .map(
      (c) =>
        `<tr class="${c.status}"><td>${status(c.status)}</td><td class="check"><code>${e(c.database ? `${c.database}: ${c.name}` : c.name)}</code></td><td>${e(c.reason)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th scope="col">Result</th><th scope="col">Check</th><th scope="col">Reason</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function verificationSection(v: VerificationEntry): string {
  return `<section class="verification"><h3>${status(v.verdict)} Backup <code>${e(v.backupId)}</code></h3><p class="meta">${e(verificationFacts(v).join(' · '))}. Result: <code>${e(v.result)}</code></p>${checksTable(v)}</section>`;
}

function page(title: string, meta: string, body: string, report: Report): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>${e(title)}</h1>
<p class="meta">${meta}</p>
${verdictBox(report)}
${body}
<footer>Generated ${e(formatTime(report.generatedAt))} by ${e(report.tool.name)} ${e(report.tool.version)} · report schema version ${report.schemaVersion} · store <code>${e(report.store)}</code></footer>
</main>
</body>
</html>
`;
}

function summaryList(r: WeeklyReport): string {
  return `<dl class="summary">${summaryItems(r)
    .map(([k, v]) => `<div><dt>${e(k)}</dt><dd>${e(v)}</dd></div>`)
    .join('')}</dl>`;
}

export const TREND_CHARTS = [
  { id: 'trend-rto', title: 'RTO: longest restore per week', key: 'rtoSeconds', format: formatSeconds },
  { id: 'trend-size', title: 'Backup size: newest backup per week', key: 'backupBytes', format: formatBytes },
  {
    id: 'trend-duration',
    title: 'Backup duration: longest backup per week',
    key: 'backupSeconds',
    format: formatSeconds,
  },
] as const;

function trends(r: WeeklyReport): string {
  return TREND_CHARTS.map(
    (c) =>
      `<figure><figcaption>${e(c.title)}</figcaption>${barChartSvg({
        id: c.id,
        title: c.title,
        points: r.trends.map((t) => ({ week: t.week, value: t[c.key] })),
        format: c.format,
      })}</figure>`,
  ).join('\n');
}

function backupsTable(r: WeeklyReport): string {
  if (!r.backups.length) return '<p>No backup was taken this week.</p>';
  const rows = r.backups
    .map(
      (b) =>
        `<tr class="${b.complete ? 'pass' : 'fail'}"><td><code>${e(b.id)}</code></td><td>${e(formatTime(b.createdAt))}</td><td>${status(b.complete ? 'pass' : 'fail')} ${e(b.complete ? 'complete' : `incomplete: ${b.problem ?? 'no manifest'}`)}</td><td class="num">${e(formatBytes(b.storedBytes))}</td><td class="num">${b.durationSeconds === undefined ? '–' : e(formatSeconds(b.durationSeconds))}</td><td class="num">${b.documents ?? '–'}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th scope="col">Backup</th><th scope="col">Taken</th><th scope="col">State</th><th scope="col" class="num">Size</th><th scope="col" class="num">Duration</th><th scope="col" class="num">Documents</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function driftTable(r: WeeklyReport): string {
  if (!r.drift.length) return '<p>No drift check ran this week.</p>';
  const rows = r.drift
    .map(
      (d) =>
        `<tr class="${d.inSync ? 'pass' : 'warn'}"><td>${e(formatTime(d.finishedAt))}</td><td>${status(d.inSync ? 'pass' : 'warn')} ${d.inSync ? 'in sync' : 'drift found'}</td><td class="num">${d.items}</td><td>${e(d.message ?? '')}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th scope="col">Checked</th><th scope="col">State</th><th scope="col" class="num">Items</th><th scope="col">Note</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function otherIssues(r: WeeklyReport): string {
  const parts: string[] = [];
  if (r.failedRuns.length) {
    parts.push(
      `<h2>Failed runs</h2><ul>${r.failedRuns.map((f) => `<li>${status('fail')} ${e(f.task)} at ${e(formatTime(f.finishedAt))}: ${e(f.message)}</li>`).join('')}</ul>`,
    );
  }
  if (r.unreadable.length) {
    parts.push(
      `<h2>Stored files that could not be read</h2><ul>${r.unreadable.map((u) => `<li><code>${e(u.key)}</code>: ${e(u.reason)}</li>`).join('')}</ul>`,
    );
  }
  return parts.join('\n');
}

export function weeklyReportHtml(r: WeeklyReport): string {
  const verifications = r.verifications.length
    ? r.verifications.map((v) => verificationSection(v)).join('\n')
    : '<p>No verification ran this week.</p>';
  const body = [
    '<h2>This week at a glance</h2>',
    summaryList(r),
    '<h2>Trends over the last 12 weeks</h2>',
    trends(r),
    `<h2>Verifications (${r.verifications.length})</h2>`,
    verifications,
    `<h2>Backups (${r.backups.length})</h2>`,
    backupsTable(r),
    `<h2>Schema drift (${r.drift.length} check${r.drift.length === 1 ? '' : 's'})</h2>`,
    driftTable(r),
    otherIssues(r),
  ].join('\n');
  const meta = e(formatWeekSpan(r.from, r.to));
  return page(`Backup report, week ${r.week}`, meta, body, r);
}

export function runReportHtml(r: RunReport): string {
  const v = r.verification;
  const phases = Object.entries(r.phases)
    .map(
      ([p, s]) =>
        `<tr><td>${e(p)}${p === 'restore' ? ' (RTO)' : ''}</td><td class="num">${e(formatSeconds(s ?? 0))}</td></tr>`,
    )
    .join('');
  const collections = r.databases
    .flatMap((d) =>
      d.collections.map(
        (c) =>
          `<tr><td><code>${e(d.source)}</code></td><td><code>${e(c.name)}</code></td><td>${e(c.type)}</td><td class="num">${c.expected}</td><td class="num">${c.restored ?? '–'}</td></tr>`,
      ),
    )
    .join('');
  const body = [
    `<h2>Checks</h2>`,
    verificationSection(v),
    phases
      ? `<h2>Timings</h2><table><thead><tr><th scope="col">Phase</th><th scope="col" class="num">Seconds</th></tr></thead><tbody>${phases}</tbody></table>`
      : '',
    collections
      ? `<h2>Collections</h2><table><thead><tr><th scope="col">Database</th><th scope="col">Collection</th><th scope="col">Type</th><th scope="col" class="num">In the backup</th><th scope="col" class="num">Restored</th></tr></thead><tbody>${collections}</tbody></table>`
      : '',
  ].join('\n');
  return page(
    `Verification of ${v.backupId}`,
    e(`${formatTime(v.startedAt)} to ${formatTime(v.finishedAt)}`),
    body,
    r,
  );
}
