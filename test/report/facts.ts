/** The facts a report states, and the text of its renderings: the Markdown and the HTML must say the same. */
import {
  formatAge,
  formatSeconds,
  type Report,
  TREND_CHARTS,
  type VerificationEntry,
} from '@arangops/backup';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The visible text of an HTML page (tags dropped, entities decoded, spaces collapsed). */
export function htmlText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<title>[\s\S]*?<\/title>/g, '')
    .replace(/<\/?(code|b)>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Facts as the HTML page shows them: `code spans` are <code> there. */
export function withoutBackticks(fact: string): string {
  return fact.replace(/`/g, '');
}

/** Markdown as text: escapes undone, spaces collapsed. */
export function markdownText(md: string): string {
  return md.replace(/\\\|/g, '|').replace(/\s+/g, ' ');
}

function verificationFacts(v: VerificationEntry): string[] {
  return [
    v.backupId,
    ...v.checks.flatMap((c) => [c.name, c.reason]),
    ...(v.rtoSeconds !== undefined ? [`restore (RTO) ${formatSeconds(v.rtoSeconds)}`] : []),
  ];
}

export function reportFacts(r: Report): string[] {
  const problems = r.problems.flatMap((p) => [
    p.subject,
    p.reason,
    p.action,
    ...(p.runbook ? [p.runbook.section] : []),
  ]);
  if (r.kind === 'run') return [r.verdict.toUpperCase(), ...problems, ...verificationFacts(r.verification)];
  return [
    r.verdict.toUpperCase(),
    r.week,
    ...problems,
    ...r.verifications.flatMap(verificationFacts),
    ...r.backups.map((b) => b.id),
    ...r.trends.map((t) => t.week),
    ...r.trends.flatMap((t) =>
      TREND_CHARTS.map((c) => {
        const v = t[c.key];
        return v === null ? 'no data' : c.format(v);
      }),
    ),
    ...(r.summary.oldestBackupAge ? [formatAge(r.summary.oldestBackupAge.seconds)] : []),
    ...r.drift.flatMap((d) => (d.message ? [d.message] : [])),
  ];
}

/** A JSON Schema (draft 2020-12, as zod writes it) validator. */
export function validator(schema: Record<string, unknown>) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}
