import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ArangoConnection,
  ArangoServerError,
  ConnectionError,
  type Logger,
  toArangopsError,
} from '@arangops/core';
import { arangoHttp } from './arango-http.js';
import { isPlainObject } from './json.js';

export interface WaitOptions {
  timeoutMs: number;
  logger?: Logger;
  /** First delay between attempts; doubles up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Waits until the server answers and, on a coordinator, every cluster member
 * in `/_admin/cluster/health` is GOOD. Throws ConnectionError on timeout with
 * the last reason, so a Helm hook's log says what it was waiting for.
 */
export async function waitForServer(connection: ArangoConnection, options: WaitOptions): Promise<void> {
  const http = arangoHttp(connection);
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.baseDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    let reason: string;
    try {
      const role = await http.get('_system', '/_admin/server/role');
      if (role.role !== 'COORDINATOR') return;
      const health = await http.get('_system', '/_admin/cluster/health');
      const members = isPlainObject(health.Health) ? Object.entries(health.Health) : [];
      const notGood = members
        .filter(([, m]) => !isPlainObject(m) || m.Status !== 'GOOD')
        .map(
          ([id, m]) =>
            `${isPlainObject(m) && typeof m.ShortName === 'string' ? m.ShortName : id}=${isPlainObject(m) ? String(m.Status) : '?'}`,
        );
      if (members.length > 0 && notGood.length === 0) return;
      reason =
        members.length === 0
          ? 'cluster health lists no members'
          : `cluster members not GOOD: ${notGood.join(', ')}`;
    } catch (e) {
      const err = toArangopsError(e);
      // Wrong credentials or missing rights do not go away by waiting.
      if (err instanceof ArangoServerError && (err.code === 401 || err.code === 403)) throw err;
      reason = err.message;
    }
    if (Date.now() + delay > deadline) {
      throw new ConnectionError(`server not ready after ${options.timeoutMs / 1000} s: ${reason}`);
    }
    options.logger?.info({ attempt, delayMs: delay, reason }, 'waiting for ArangoDB');
    await sleep(delay);
    delay = Math.min(delay * 2, options.maxDelayMs ?? 5_000);
  }
}
