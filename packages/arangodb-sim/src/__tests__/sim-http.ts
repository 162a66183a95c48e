/** Test helpers: simulators stopped after each test, and raw HTTP requests against them. */
import { afterEach } from 'vitest';
import { startSimulator } from '../server.js';
import type { Simulator } from '../types.js';

const started: Simulator[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

export async function sim(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const s = await startSimulator(options);
  started.push(s);
  return s;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A JSON request; a string body is sent as it is. */
export async function req(s: Simulator, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(s.url + path, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}
