/**
 * `arangops report` end to end through the CLI, and the webhook: a local HTTP
 * receiver gets the Slack-compatible summary; the URL (a secret) appears in no
 * output, log line or error, whether the POST works or fails.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseIsoWeek, postWebhook, WebhookError } from '@arangops/backup';
import { clearRegisteredSecrets, scrubSecrets } from '@arangops/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.js';
import { tempDir } from '../harness/temp-dir.js';
import { DIGEST_REASON, fileStoreAt, type SyntheticHistory, syntheticHistory } from './synthetic.js';

const WEEK = parseIsoWeek('2026-W48');
const TOKEN = 'T0AAA/B0BBB/Xq9s3cr3tW3bh00kT0k3n';

let receiver: Server;
let base: string;
const received: { path: string; body: unknown }[] = [];
let status = 200;

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    received.push({ path: req.url ?? '', body: JSON.parse(await body(req)) });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'invalid_token');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
afterEach(() => {
  received.length = 0;
  status = 200;
  clearRegisteredSecrets();
});

const run = (argv: string[], env: NodeJS.ProcessEnv) => runCli(['--log-level', 'debug', ...argv], env);

describe('arangops report', () => {
  let history: SyntheticHistory;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('report-cli');
    history = await syntheticHistory(fileStoreAt(join(dir, 'store')), { week: WEEK, failLastWeek: true });
  });

  it('weekly: writes the report to the store and the report folder, posts the summary, exits 1 on a failed week', async () => {
    const url = `${base}/services/${TOKEN}`;
    const out = join(dir, 'out');
    const { code, stdout, stderr } = await run(
      ['report', 'weekly', '--week', '2026-W48', '--store', history.store.url],
      {
        ARANGOPS_REPORT_DIR: out,
        ARANGOPS_REPORT_WEBHOOK_URL: url,
      },
    );
    expect(stderr).not.toContain(TOKEN);
    expect(stdout).not.toContain(TOKEN);
    expect(code, stderr).toBe(1);
    expect(stdout).toContain('week 2026-W48: FAIL');
    expect(stdout).toContain(DIGEST_REASON);
    expect(stdout).toContain(`report: ${join(out, 'weekly/2026-W48.html')}`);
    expect(readFileSync(join(out, 'weekly/2026-W48.html'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(dir, 'store/reports/weekly/2026-W48.json'), 'utf8')).toContain(
      '"verdict": "fail"',
    );

    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe(`/services/${TOKEN}`);
    const payload = received[0]!.body as { text: string; blocks: { type: string }[] };
    expect(payload.text).toMatch(
      /^:x: arangops backup report 2026-W48: FAIL\n7 backup\(s\), 2 verification\(s\) \(1 failed\)/,
    );
    expect(payload.text).toContain(DIGEST_REASON);
    expect(payload.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });

  it('a webhook that refuses: the reports stand, the error names the status, never the URL', async () => {
    status = 403;
    const url = `${base}/services/${TOKEN}`;
    const { code, stdout, stderr } = await run(
      ['report', 'weekly', '--week', '2026-W47', '--store', history.store.url],
      { ARANGOPS_REPORT_WEBHOOK_URL: url },
    );
    expect(code).toBe(3);
    expect(stderr).toContain('webhook POST failed: HTTP 403');
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
    expect(readFileSync(join(dir, 'store/reports/weekly/2026-W47.json'), 'utf8')).toContain(
      '"verdict": "pass"',
    );
    // --no-webhook leaves it out.
    const quiet = await run(
      ['report', 'weekly', '--week', '2026-W47', '--store', history.store.url, '--no-webhook'],
      {
        ARANGOPS_REPORT_WEBHOOK_URL: url,
      },
    );
    expect(quiet.code).toBe(0);
    expect(received).toHaveLength(1);
  });

  it('run: the newest result by default, or a named one', async () => {
    const { code, stdout } = await run(['report', 'run', '--store', history.store.url], {});
    expect(code).toBe(1);
    expect(stdout).toContain(`verification of ${history.lastWeekBackups[6]}: FAIL`);
    expect(stdout).toMatch(/report: file:\/\/.*\/reports\/runs\/\d{8}T\d{6}Z-.*\.html/);
    const bad = await run(['report', 'run', 'results/nope.json', '--store', history.store.url], {});
    expect(bad.code).not.toBe(0);
    const week = await run(['report', 'weekly', '--week', '2026-W99', '--store', history.store.url], {});
    expect(week.code).toBe(2);
    expect(week.stderr).toContain('--week: not an ISO week: "2026-W99"');
  });
});

describe('postWebhook', () => {
  it('a receiver that is not there: the error says why, not where', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/services/${TOKEN}`;
    const error = await postWebhook(url, { text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    expect((error as Error).message).toBe('webhook POST failed: ECONNREFUSED');
    expect(String((error as Error).stack)).not.toContain(TOKEN);
    // Registered: a log line that quotes it anyway is scrubbed.
    expect(scrubSecrets(`posting to ${url}`)).not.toContain(TOKEN);
  });
});
