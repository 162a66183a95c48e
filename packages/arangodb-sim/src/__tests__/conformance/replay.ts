import { startSimulator } from '../../server.js';
import { type Answer, call } from './client.js';
import { apiPath, type Example, type Family } from './examples.js';
import { Env, setupGroup } from './setup.js';
import { compareShape } from './shape.js';

function applySubst(env: Env, s: string): string {
  let out = s;
  // Longest first, so "products/73870" wins over "73870".
  for (const [from, to] of [...env.subst].sort((a, b) => b[0].length - a[0].length))
    out = out.split(from).join(to);
  return out;
}

function substBody(env: Env, body: unknown): unknown {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return applySubst(env, body);
  return JSON.parse(applySubst(env, JSON.stringify(body)));
}

/** Learns recorded→actual identifiers from a pair of answers (cursor ids, keys, revisions…). */
function learn(env: Env, recorded: unknown, actual: unknown): void {
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    recorded.forEach((r, i) => {
      learn(env, r, actual[i]);
    });
    return;
  }
  if (!recorded || !actual || typeof recorded !== 'object' || typeof actual !== 'object') return;
  const r = recorded as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  for (const k of ['id', '_key', '_rev', '_id', '_oldRev']) {
    if (typeof r[k] === 'string' && typeof a[k] === 'string' && (r[k] as string).length > 1) {
      env.map(r[k] as string, a[k] as string);
      const rs = (r[k] as string).split('/');
      const as = (a[k] as string).split('/');
      if (rs.length === 2 && as.length === 2) env.map(rs[1] as string, as[1] as string);
    }
  }
  for (const k of Object.keys(r)) if (k in a && typeof r[k] === 'object') learn(env, r[k], a[k]);
}

function contentFamily(ct: string | null | undefined): string {
  if (!ct) return 'none';
  return ct.includes('json') ? 'json' : (ct.split(';')[0]?.trim() ?? ct);
}

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function metricFamilies(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)/gm)].map((m) => [m[1] as string, m[2] as string]));
}

export function compareAnswer(e: Example, a: Answer): string[] {
  const problems: string[] = [];
  if (a.status !== e.status) problems.push(`status ${a.status}, recorded ${e.status}`);
  const recCt = contentFamily(e.responseHeaders['content-type']);
  const actCt = contentFamily(a.headers.get('content-type'));
  if (e.responseBody !== null && recCt !== actCt) problems.push(`content-type ${actCt}, recorded ${recCt}`);
  const recCodes = e.responseHeaders['x-arango-error-codes'];
  const actCodes = a.headers.get('x-arango-error-codes') ?? undefined;
  if (
    (recCodes && !actCodes) ||
    (!recCodes && actCodes) ||
    (recCodes && actCodes && JSON.stringify(JSON.parse(recCodes)) !== JSON.stringify(JSON.parse(actCodes)))
  ) {
    problems.push(`x-arango-error-codes ${actCodes}, recorded ${recCodes}`);
  }
  for (const h of ['etag', 'location']) {
    const rec = e.otherResponseHeaders?.[h] !== undefined;
    const act = a.headers.get(h) !== null;
    if (rec !== act)
      problems.push(`header ${h} ${act ? 'present' : 'absent'}, recorded ${rec ? 'present' : 'absent'}`);
  }
  const recorded = recCt === 'json' ? parseMaybeJson(e.responseBody) : e.responseBody;
  if (recCt === 'text/plain' && typeof recorded === 'string' && apiPath(e).startsWith('/_admin/metrics')) {
    const want = metricFamilies(recorded);
    const got = metricFamilies(a.text);
    for (const [name, type] of want) {
      if (!got.has(name)) problems.push(`metric family ${name} missing`);
      else if (got.get(name) !== type)
        problems.push(`metric ${name} typed ${got.get(name)}, recorded ${type}`);
    }
    for (const name of got.keys())
      if (!want.has(name)) problems.push(`metric family ${name} not emitted by the real server`);
    return problems;
  }
  const rb = recorded && typeof recorded === 'object' ? (recorded as Record<string, unknown>) : undefined;
  const ab = a.body && typeof a.body === 'object' ? (a.body as Record<string, unknown>) : undefined;
  if (rb && !Array.isArray(rb) && rb.error === true && ab?.errorNum !== rb.errorNum) {
    problems.push(
      `errorNum ${String(ab?.errorNum)} (${String(ab?.errorMessage)}), recorded ${String(rb.errorNum)} (${String(rb.errorMessage)})`,
    );
  }
  if (recorded === null || recorded === undefined) {
    if (a.text.length > 0) problems.push('expected an empty body');
  } else if (problems.length === 0) {
    problems.push(...compareShape(recorded, a.body).map((p) => `body ${p}`));
  }
  return problems;
}

export interface GroupResult {
  id: string;
  family: Family;
  problems: string[];
}

/** Replays a multi-step example group against a fresh simulator of the recorded version and deployment. */
export async function replayGroup(family: Family, steps: Example[]): Promise<GroupResult[]> {
  const first = steps[0] as Example;
  const version = /^\d+\.\d+\.\d+/.exec(first.version)?.[0] ?? first.version;
  const sim = await startSimulator({ version, mode: first.deployment });
  const env = new Env(sim.url);
  const results: GroupResult[] = [];
  try {
    try {
      await setupGroup(env, family, steps);
    } catch (err) {
      return steps.map((s) => ({
        id: s.id,
        family,
        problems: [`setup: ${err instanceof Error ? err.message : String(err)}`],
      }));
    }
    for (const s of steps) {
      let lastPriorId: string | undefined;
      for (const p of s.unrecordedPriorRequests ?? []) {
        const q = new URLSearchParams(p.query ?? {}).toString();
        const prior = await call(
          sim.url,
          p.method,
          applySubst(env, p.path + (q ? `?${q}` : '')),
          substBody(env, p.requestBody),
        );
        const id = (prior.body as Record<string, unknown> | null)?.id;
        if (typeof id === 'string') lastPriorId = id;
      }
      const cursorId = /^\/_api\/cursor\/(\d+)/.exec(apiPath(s))?.[1];
      if (cursorId && lastPriorId && !env.subst.has(cursorId)) env.map(cursorId, lastPriorId);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.requestHeaders ?? {})) headers[k] = applySubst(env, v);
      const a = await call(
        sim.url,
        s.method,
        applySubst(env, s.rawUrl),
        substBody(env, s.requestBody),
        headers,
      );
      results.push({ id: s.id, family, problems: compareAnswer(s, a) });
      learn(env, parseMaybeJson(s.responseBody), a.body);
      const etag = s.otherResponseHeaders?.etag?.replace(/"/g, '');
      const actualEtag = a.headers.get('etag')?.replace(/"/g, '');
      if (etag && actualEtag) env.map(etag, actualEtag);
    }
  } finally {
    await sim.stop();
  }
  return results;
}
