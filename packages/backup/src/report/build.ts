/** Reports as data: every fact the JSON, Markdown, HTML and webhook renderings show. */
import { scrubSecrets } from '@arangops/core';
import type { BackupListing } from '../job/list-backups.js';
import { INCOMPLETE_GRACE_MS } from '../prune/plan-prune.js';
import { ADVICE, type Advice, adviceForCheck, RUNBOOK_PATH, runbookLink } from './advice.js';
import { formatAge } from './format.js';
import type { ReportInputs, ReportOptions, StoredResult } from './inputs.js';
import { type IsoWeek, weeksEndingWith } from './iso-week.js';
import {
  type BackupEntry,
  type Problem,
  REPORT_SCHEMA_VERSION,
  type RunReport,
  type TrendPoint,
  type VerificationEntry,
  type WeeklyReport,
} from './schema.js';

export const TREND_WEEKS = 12;

export function verificationEntry(stored: StoredResult): VerificationEntry {
  const r = stored.result;
  const full = r.checks.some((c) => c.name === 'restore' && c.status !== 'skipped');
  const duration = (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
  return {
    result: stored.location,
    backupId: r.backup.id,
    kind: full ? 'full' : 'cheap',
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    verdict: r.verdict,
    ...(r.restored && r.phases.restore !== undefined ? { rtoSeconds: r.phases.restore } : {}),
    durationSeconds: Math.max(0, duration),
    restoredDocuments: r.restoredDocuments,
    ...(r.backup.ageSeconds !== undefined ? { backupAgeSeconds: r.backup.ageSeconds } : {}),
    checks: r.checks.map((c) => ({
      name: c.name,
      ...(c.database ? { database: c.database } : {}),
      status: c.status,
      reason: scrubSecrets(c.reason),
    })),
  };
}

function backupEntry(l: BackupListing): BackupEntry {
  const m = l.manifest;
  return {
    id: l.backupId,
    database: l.database,
    createdAt: l.createdAt.toISOString(),
    complete: l.complete,
    ...(l.problem ? { problem: scrubSecrets(l.problem) } : {}),
    objects: l.objects,
    storedBytes: l.storedBytes,
    ...(m
      ? {
          durationSeconds: Math.max(0, (Date.parse(m.finishedAt) - Date.parse(m.startedAt)) / 1000),
          documents: m.collections.reduce((s, c) => s + c.documents, 0),
        }
      : {}),
  };
}

function problem(
  severity: Problem['severity'],
  subject: string,
  reason: string,
  advice: Advice,
  options: ReportOptions,
  backupId?: string,
): Problem {
  const link = runbookLink(options.runbookBase ?? RUNBOOK_PATH, advice.section);
  return {
    severity,
    subject,
    reason: scrubSecrets(reason),
    action: backupId ? advice.action.replaceAll('<backup-id>', backupId) : advice.action,
    ...(link ? { runbook: link } : {}),
  };
}

function checkProblems(v: VerificationEntry, options: ReportOptions): Problem[] {
  return v.checks
    .filter((c) => c.status === 'fail')
    .map((c) =>
      problem(
        'fail',
        `${v.kind} verification of ${v.backupId}: ${c.database ? `${c.database}: ` : ''}${c.name}`,
        c.reason,
        adviceForCheck(c.name),
        options,
        v.backupId,
      ),
    );
}

function verdictOf(problems: Problem[]): WeeklyReport['verdict'] {
  if (problems.some((p) => p.severity === 'fail')) return 'fail';
  return problems.length > 0 ? 'warn' : 'pass';
}

const inWeek = (week: IsoWeek, at: string | Date) => {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return t >= week.from.getTime() && t < week.to.getTime();
};

/** The oldest the newest complete backup got in the week (up to now): the worst recovery point. */
function oldestBackupAge(
  complete: BackupListing[],
  week: IsoWeek,
  now: Date,
): WeeklyReport['summary']['oldestBackupAge'] {
  const end = Math.min(week.to.getTime(), now.getTime());
  const created = complete.map((l) => l.createdAt.getTime()).sort((a, b) => a - b);
  // Before the store's first backup there was nothing to be old: the window starts there.
  const from = Math.max(week.from.getTime(), historyStart(complete, week)?.getTime() ?? 0);
  if (end <= from) return null;
  // The age peaks just before each new backup and at the end of the window.
  const moments = [...created.filter((t) => t > from && t <= end), end];
  let worst: NonNullable<WeeklyReport['summary']['oldestBackupAge']> | null = null;
  for (const t of moments) {
    const newest = created.filter((c) => c < t).at(-1);
    const seconds = Math.round((t - (newest ?? from)) / 1000);
    if (!worst || seconds > worst.seconds) {
      const id =
        newest === undefined ? null : complete.find((l) => l.createdAt.getTime() === newest)!.backupId;
      worst = { seconds, at: new Date(t).toISOString(), backupId: id };
    }
  }
  return worst;
}

/** The store's first complete backup, when it was taken inside the week (a store new this week). */
function historyStart(complete: BackupListing[], week: IsoWeek): Date | undefined {
  const first = complete.reduce<Date | undefined>(
    (min, l) => (!min || l.createdAt < min ? l.createdAt : min),
    undefined,
  );
  return first && inWeek(week, first) ? first : undefined;
}

function trendPoint(
  week: IsoWeek,
  complete: BackupListing[],
  verifications: VerificationEntry[],
): TrendPoint {
  const rtos = verifications
    .filter((v) => inWeek(week, v.finishedAt) && v.rtoSeconds !== undefined)
    .map((v) => v.rtoSeconds!);
  const backups = complete.filter((l) => inWeek(week, l.createdAt)).map(backupEntry);
  const durations = backups.flatMap((b) => (b.durationSeconds === undefined ? [] : [b.durationSeconds]));
  return {
    week: week.name,
    rtoSeconds: rtos.length ? Math.max(...rtos) : null,
    backupBytes: backups.at(-1)?.storedBytes ?? null,
    backupSeconds: durations.length ? Math.max(...durations) : null,
  };
}

export function buildWeeklyReport(inputs: ReportInputs, week: IsoWeek, options: ReportOptions): WeeklyReport {
  const now = options.now ?? new Date();
  const complete = inputs.listings.filter((l) => l.complete);
  const allVerifications = inputs.results
    .map(verificationEntry)
    .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  const verifications = allVerifications.filter((v) => inWeek(week, v.finishedAt));
  const backups = inputs.listings.filter((l) => inWeek(week, l.createdAt)).map(backupEntry);
  const runs = inputs.runs
    .filter((r) => inWeek(week, r.finishedAt))
    .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  // A drift run that produced a report counts its items; one that failed with an error is a failed run.
  const drift = runs
    .filter((r) => r.task === 'drift' && r.summary.items !== undefined)
    .map((r) => ({
      finishedAt: r.finishedAt,
      inSync: r.success,
      items: r.summary.items!,
      summary: r.summary,
      ...(r.message ? { message: scrubSecrets(r.message) } : {}),
    }));
  const resultTimes = new Set(verifications.map((v) => Date.parse(v.finishedAt)));
  const failedRuns = runs
    .filter(
      (r) =>
        !r.success &&
        !(r.task === 'drift' && r.summary.items !== undefined) &&
        // A failed verdict is reported per check, from its result.
        !(r.task.startsWith('verify') && resultTimes.has(Date.parse(r.finishedAt))),
    )
    .map((r) => ({
      task: r.task,
      finishedAt: r.finishedAt,
      message: scrubSecrets(r.message ?? 'no message'),
    }));

  const rpoSeconds = Math.round(options.rpoHours * 3600);
  const oldest = oldestBackupAge(complete, week, now);
  const problems: Problem[] = verifications.flatMap((v) => checkProblems(v, options));
  for (const b of inputs.listings.filter((l) => !l.complete && inWeek(week, l.createdAt))) {
    if (now.getTime() - b.lastModified.getTime() < INCOMPLETE_GRACE_MS) continue; // still being written
    problems.push(
      problem(
        'fail',
        `backup ${b.backupId} is incomplete`,
        b.problem ?? 'no manifest',
        ADVICE.incompleteBackup,
        options,
      ),
    );
  }
  for (const r of failedRuns) {
    const advice =
      r.task === 'backup'
        ? ADVICE.failedBackupRun
        : r.task.startsWith('verify')
          ? ADVICE.failedVerifyRun
          : ADVICE.failedRun;
    problems.push(problem('fail', `${r.task} run at ${r.finishedAt} failed`, r.message, advice, options));
  }
  if (!backups.some((b) => b.complete)) {
    problems.push(
      problem(
        'fail',
        'no complete backup this week',
        'the store holds no complete backup taken in this week',
        ADVICE.noBackup,
        options,
      ),
    );
  }
  if (!verifications.some((v) => v.kind === 'full')) {
    problems.push(
      problem(
        'fail',
        'no full verification this week',
        'no backup was restored into a scratch database and checked',
        ADVICE.noFullVerification,
        options,
      ),
    );
  }
  const firstBackup = historyStart(complete, week);
  if (firstBackup) {
    problems.push(
      problem(
        'warn',
        'backup history starts this week',
        `the store's first complete backup was taken at ${firstBackup.toISOString()}; the RPO is measured from then`,
        ADVICE.historyStarts,
        options,
      ),
    );
  }
  if (oldest && oldest.seconds > rpoSeconds) {
    problems.push(
      problem(
        'fail',
        'recovery point objective broken',
        `the newest backup was ${formatAge(oldest.seconds)} old at ${oldest.at}, more than the ${options.rpoHours} h RPO`,
        ADVICE.rpoExceeded,
        options,
      ),
    );
  }
  const drifted = drift.filter((d) => !d.inSync);
  if (drifted.length > 0) {
    const last = drifted.at(-1)!;
    problems.push(
      problem(
        'warn',
        'schema drift',
        `${drifted.length} of ${drift.length} drift check(s) found drift; the last found ${last.items} item(s)${last.message ? ` (${last.message})` : ''}`,
        ADVICE.drift,
        options,
      ),
    );
  }
  problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'fail' ? -1 : 1));

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'weekly',
    tool: { name: 'arangops', version: options.toolVersion },
    generatedAt: now.toISOString(),
    store: inputs.store,
    week: week.name,
    from: week.from.toISOString(),
    to: week.to.toISOString(),
    verdict: verdictOf(problems),
    problems,
    summary: {
      backups: backups.length,
      completeBackups: backups.filter((b) => b.complete).length,
      verifications: verifications.length,
      fullVerifications: verifications.filter((v) => v.kind === 'full').length,
      failedVerifications: verifications.filter((v) => v.verdict === 'fail').length,
      driftRuns: drift.length,
      driftRunsWithFindings: drifted.length,
      rpoSeconds,
      oldestBackupAge: oldest,
    },
    backups,
    verifications,
    drift,
    failedRuns,
    trends: weeksEndingWith(week, TREND_WEEKS).map((w) => trendPoint(w, complete, allVerifications)),
    unreadable: inputs.unreadable.map((u) => ({ key: u.key, reason: scrubSecrets(u.reason) })),
  };
}

export function buildRunReport(stored: StoredResult, store: string, options: ReportOptions): RunReport {
  const verification = verificationEntry(stored);
  const problems = checkProblems(verification, options);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'run',
    tool: { name: 'arangops', version: options.toolVersion },
    generatedAt: (options.now ?? new Date()).toISOString(),
    store,
    verdict: verdictOf(problems),
    problems,
    verification,
    databases: stored.result.databases,
    phases: stored.result.phases,
  };
}
