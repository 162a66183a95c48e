/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on loopback that forwards every alert to
 * a webhook receiver in the test, with resolved notifications, after short group timers (the
 * production defaults wait 30 s to 5 min). Stop both in afterAll.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort } from './net.js';
import { poll, stopProcess } from './process.js';
import { tempDir } from './temp-dir.js';

/** One alert of a webhook notification (Alertmanager's webhook payload, version 4). */
export interface NotifiedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

export interface WebhookNotification {
  version: string;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: NotifiedAlert[];
}

export interface WebhookReceiver {
  readonly url: string;
  /** Every notification received so far, oldest first. */
  readonly notifications: readonly WebhookNotification[];
  /** The first alert any notification carried that `match` accepts; throws after the timeout. */
  alert(match: (alert: NotifiedAlert) => boolean, what: string, timeoutMs?: number): Promise<NotifiedAlert>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: WebhookNotification[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        notifications.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookNotification);
      } catch {
        res.statusCode = 400;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    notifications,
    alert: (match, what, timeoutMs = 60_000) =>
      poll(
        `the webhook receiving ${what}`,
        async () => notifications.flatMap((n) => n.alerts).find(match),
        timeoutMs,
      ),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RunningAlertmanager {
  /** host:port, for Prometheus's `alerting` section. */
  readonly address: string;
  stop(): Promise<void>;
}

/** Starts Alertmanager routing everything to `webhookUrl`; resolves once it is ready. */
export async function startAlertmanager(binary: string, webhookUrl: string): Promise<RunningAlertmanager> {
  const storage = tempDir('alertmanager');
  const configFile = join(storage, 'alertmanager.yml');
  // JSON is YAML. One group per alert name and namespace, as a team routes pages.
  const config = {
    route: {
      receiver: 'test',
      group_by: ['alertname', 'namespace'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
    },
    receivers: [{ name: 'test', webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(storage, 'data')}`,
      `--web.listen-address=${address}`,
      // No cluster: gossip needs a routable address, and one Alertmanager has no peers.
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  const stop = () => stopProcess(child);
  try {
    await poll(
      'Alertmanager ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`Alertmanager exited with ${child.exitCode}`);
        return (await fetch(`http://${address}/-/ready`).catch(() => undefined))?.ok || undefined;
      },
      30_000,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { address, stop };
}
