/**
 * The weekly summary for a chat channel: Slack-compatible JSON (`text` plus
 * `blocks`; Mattermost and Teams' Slack-compatible hooks read `text`). The URL
 * is a secret (it lets anyone post): it is registered with the scrubber and
 * never put into a message or an error.
 */
import { ArangopsError, EXIT_CODES, registerSecret } from '@arangops/core';
import { formatAge } from './format.js';
import type { Report } from './schema.js';

export class WebhookError extends ArangopsError {
  override name = 'WebhookError';
  override readonly exitCode = EXIT_CODES.unavailable;
}

const ICON = { pass: ':white_check_mark:', warn: ':warning:', fail: ':x:' } as const;
const MAX_PROBLEMS = 5;

export function webhookSummary(report: Report, link?: string): { text: string; blocks: unknown[] } {
  const title =
    report.kind === 'weekly'
      ? `arangops backup report ${report.week}: ${report.verdict.toUpperCase()}`
      : `arangops verification of ${report.verification.backupId}: ${report.verdict.toUpperCase()}`;
  const facts =
    report.kind === 'weekly'
      ? `${report.summary.completeBackups} backup(s), ${report.summary.verifications} verification(s) (${report.summary.failedVerifications} failed), oldest backup age ${report.summary.oldestBackupAge ? formatAge(report.summary.oldestBackupAge.seconds) : 'unknown'}`
      : `${report.verification.checks.length} check(s), ${report.problems.length} failed`;
  const problems = report.problems
    .slice(0, MAX_PROBLEMS)
    .map((p) => `• *${p.subject}*: ${p.reason}`)
    .concat(
      report.problems.length > MAX_PROBLEMS ? [`• and ${report.problems.length - MAX_PROBLEMS} more`] : [],
    );
  const text = [
    `${ICON[report.verdict]} ${title}`,
    facts,
    ...problems,
    ...(link ? [`Report: ${link}`] : []),
  ].join('\n');
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title } },
      { type: 'section', text: { type: 'mrkdwn', text: [facts, ...problems].join('\n') } },
      ...(link ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `Report: ${link}` }] }] : []),
    ],
  };
}

/** POSTs the summary; a failure names the HTTP status or the error class, never the URL. */
export async function postWebhook(
  url: string,
  payload: unknown,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  registerSecret(url);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (e) {
    // fetch's errors may quote the URL: keep only the cause's code.
    const code = ((e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).name) || 'error';
    throw new WebhookError(`webhook POST failed: ${code}`);
  }
  await response.body?.cancel();
  if (!response.ok) throw new WebhookError(`webhook POST failed: HTTP ${response.status}`);
}

/** The report's summary to a Slack-compatible webhook. */
export function sendReportSummary(url: string, report: Report, link?: string): Promise<void> {
  return postWebhook(url, webhookSummary(report, link));
}
