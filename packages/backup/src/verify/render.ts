import type { VerifyResult } from './result.js';

const MARK = { pass: 'ok  ', fail: 'FAIL', skipped: 'skip' } as const;

/** The human summary: verdict, backup, checks one per line, collections, phases. */
export function renderVerifyResult(result: VerifyResult): string {
  const lines: string[] = [];
  const failed = result.checks.filter((c) => c.status === 'fail').length;
  lines.push(
    `verify ${result.backup.id}: ${result.verdict === 'pass' ? 'PASSED' : `FAILED (${failed} check${failed === 1 ? '' : 's'})`}`,
  );
  lines.push(
    `  ${result.backup.kind} backup at ${result.backup.location}${result.backup.startedAt ? `, taken ${result.backup.startedAt}` : ''}`,
  );
  for (const c of result.checks) {
    lines.push(`  ${MARK[c.status]} ${c.database ? `${c.database}: ` : ''}${c.name} — ${c.reason}`);
  }
  for (const d of result.databases) {
    const total = d.collections.reduce((s, c) => s + c.expected, 0);
    lines.push(`  database ${d.source}: ${d.collections.length} collection(s), ${total} document(s)`);
    for (const c of d.collections) {
      const restored = c.restored === undefined ? '' : `, restored ${c.restored}`;
      lines.push(`    ${c.name} (${c.type}): ${c.expected}${restored}`);
    }
  }
  const phases = Object.entries(result.phases)
    .map(([p, s]) => `${p} ${(s ?? 0).toFixed(2)} s`)
    .join(', ');
  if (phases)
    lines.push(`  timings: ${phases}${result.phases.restore !== undefined ? ' (restore = RTO)' : ''}`);
  return `${lines.join('\n')}\n`;
}
