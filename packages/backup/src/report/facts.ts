/** Facts both renderings state in the same words (the Markdown and the HTML page say the same). */
import { formatAge, formatSeconds, formatTime } from './format.js';
import type { VerificationEntry, WeeklyReport } from './schema.js';

export function verificationFacts(v: VerificationEntry): string[] {
  return [
    v.kind === 'full' ? 'full (restored into a scratch database)' : 'cheap (stored objects only)',
    `finished ${formatTime(v.finishedAt)}`,
    `took ${formatSeconds(v.durationSeconds)}`,
    ...(v.rtoSeconds !== undefined ? [`restore (RTO) ${formatSeconds(v.rtoSeconds)}`] : []),
    ...(v.kind === 'full' ? [`${v.restoredDocuments} document(s) restored`] : []),
    ...(v.backupAgeSeconds !== undefined ? [`backup ${formatAge(v.backupAgeSeconds)} old`] : []),
  ];
}

export function summaryItems(r: WeeklyReport): [string, string][] {
  const s = r.summary;
  return [
    ['Backups', `${s.completeBackups} complete of ${s.backups}`],
    ['Verifications', `${s.verifications} (${s.fullVerifications} full), ${s.failedVerifications} failed`],
    [
      'Oldest backup age seen',
      s.oldestBackupAge
        ? `${formatAge(s.oldestBackupAge.seconds)} (RPO ${formatAge(s.rpoSeconds)})`
        : 'no data',
    ],
    ['Drift checks with findings', `${s.driftRunsWithFindings} of ${s.driftRuns}`],
  ];
}
