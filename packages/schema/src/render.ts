/** Drift report formats: text (coloured on a TTY), JSON, Markdown and JUnit XML for CI. */
import { classRank, DRIFT_CLASSES } from './classes.js';
import { stableStringify } from './json.js';
import type { BootstrapPlan, DriftItem, DriftReport, RefusedAction, ReportFormat } from './types.js';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'markdown', 'junit'];

export interface RenderOptions {
  /** ANSI colours in the text format. Default false. */
  color?: boolean;
}

export function renderDriftReport(
  report: DriftReport,
  format: ReportFormat,
  options: RenderOptions = {},
): string {
  switch (format) {
    case 'json':
      return `${stableStringify(report, 2)}\n`;
    case 'markdown':
      return renderMarkdown(report);
    case 'junit':
      return renderJunit(report);
    default:
      return renderText(report, options.color === true);
  }
}

const SIGN: Record<DriftItem['change'], string> = { missing: '+', unexpected: '-', changed: '~' };

function details(item: DriftItem): string {
  if (item.change !== 'changed' || !item.fields) return item.message;
  const declared = item.declared as Record<string, unknown>;
  const live = item.live as Record<string, unknown>;
  const parts = item.fields
    .map((f) => `${f}: declared ${short(declared[f])}, live ${short(live[f])}`)
    .join('; ');
  // Generic messages only repeat the field names; specific ones (a rename) explain something.
  return item.message.includes(' differs in ') ? parts : `${parts} (${item.message})`;
}

function short(value: unknown): string {
  const s = stableStringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function headline(report: DriftReport): string {
  return `profile ${report.profile} vs ArangoDB ${report.server.version} (${report.server.role.toLowerCase()})`;
}

function summaryLine(report: DriftReport): string {
  const counts = DRIFT_CLASSES.map((c) => `${c} ${report.summary[c]}`).join(', ');
  const verdict = report.inSync
    ? report.items.length === 0
      ? 'in sync'
      : `no drift at or above ${report.failOn}`
    : `drift found (fail-on ${report.failOn})`;
  return `${report.items.length} item(s): ${counts}; ${report.ignored} ignored; ${verdict}`;
}

function renderText(report: DriftReport, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const classColour: Record<string, number> = { additive: 32, mutable: 33, recreate: 35, destructive: 31 };
  const lines = [`Schema drift: ${headline(report)}`];
  for (const item of report.items) {
    const cls = paint(classColour[item.class] ?? 0, item.class.padEnd(11));
    lines.push(`  ${SIGN[item.change]} ${item.change.padEnd(10)} ${cls} ${item.path}`);
    lines.push(`      ${details(item)}`);
  }
  if (report.deprecations.length > 0) {
    lines.push('Deprecations:');
    for (const d of report.deprecations) lines.push(`  ! ${d.path}: ${d.message}`);
  }
  for (const s of report.samples) {
    lines.push(
      `Sample ${s.database}/${s.collection}: ${s.nonConforming} of ${s.sampled} document(s) do not match the validation rule`,
    );
  }
  lines.push(paint(report.inSync ? 32 : 31, summaryLine(report)));
  return `${lines.join('\n')}\n`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function renderMarkdown(report: DriftReport): string {
  const lines = [`# Schema drift`, '', headline(report), '', `**${summaryLine(report)}**`, ''];
  if (report.items.length > 0) {
    lines.push('| Change | Class | Path | Details |', '| --- | --- | --- | --- |');
    for (const i of report.items) {
      lines.push(`| ${i.change} | ${i.class} | \`${i.path}\` | ${mdEscape(details(i))} |`);
    }
    lines.push('');
  }
  if (report.deprecations.length > 0) {
    lines.push('## Deprecations', '');
    for (const d of report.deprecations) lines.push(`- \`${d.path}\`: ${mdEscape(d.message)}`);
    lines.push('');
  }
  if (report.samples.length > 0) {
    lines.push('## Document samples', '', '| Collection | Sampled | Not conforming |', '| --- | --- | --- |');
    for (const s of report.samples)
      lines.push(`| ${s.database}/${s.collection} | ${s.sampled} | ${s.nonConforming} |`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One test case per drift item; items below the fail-on class pass (they are listed, not failed). */
function renderJunit(report: DriftReport): string {
  const threshold = classRank(report.failOn);
  const cases = report.items.map((i) => {
    const name = `${i.path} (${i.change})`;
    const body =
      classRank(i.class) >= threshold
        ? `<failure type="${i.class}" message="${xml(i.message)}">${xml(details(i))}</failure>`
        : `<system-out>${xml(details(i))}</system-out>`;
    return `    <testcase classname="schema.${i.kind}" name="${xml(name)}">${body}</testcase>`;
  });
  if (cases.length === 0) cases.push('    <testcase classname="schema" name="schema in sync"/>');
  const failures = report.items.filter((i) => classRank(i.class) >= threshold).length;
  const tests = Math.max(1, report.items.length);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="arangops drift" tests="${tests}" failures="${failures}" time="${report.durationSeconds}">`,
    `  <testsuite name="${xml(report.profile)}" tests="${tests}" failures="${failures}" errors="0" time="${report.durationSeconds}" timestamp="${report.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The plan of `bootstrap --dry-run` (and what a real run did), one line per action. */
export function renderBootstrapPlan(
  plan: BootstrapPlan,
  heading = 'Bootstrap plan',
  refused: readonly RefusedAction[] = [],
): string {
  const lines = [`${heading}: ${plan.actions.length} action(s)`];
  for (const a of plan.actions) lines.push(`  ${a.op.padEnd(16)} ${a.path}`);
  if (refused.length > 0) {
    lines.push(`Refused (${refused.length}; what they touch is as before):`);
    for (const r of refused) lines.push(`  ${r.action.path}: ${r.message} (errorNum ${r.errorNum})`);
  }
  if (plan.skipped.length > 0) {
    lines.push(
      `Not applied (${plan.skipped.length}; recreate needs --allow-recreate, dropping undeclared objects --allow-destructive, collections and databases are never dropped):`,
    );
    for (const i of plan.skipped) lines.push(`  ${i.change.padEnd(10)} ${i.class.padEnd(11)} ${i.path}`);
  }
  return `${lines.join('\n')}\n`;
}
