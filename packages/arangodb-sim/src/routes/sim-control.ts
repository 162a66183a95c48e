import { SimError } from '../aql/host.js';
import { findMember } from '../cluster/topology.js';
import { json, type Reply } from '../http/reply.js';
import type { Instance } from '../instance.js';
import { scrapeMember } from '../metrics/scrape.js';
import type { FaultController, MemberStatus } from '../types.js';

function parse(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new SimError(400, 600, 'expecting a JSON object');
}

/**
 * `/_sim/*`: the fault-injection API for out-of-process users (the demo, other languages).
 * POST /_sim/faults accepts any of `latency {route, ms}`, `failure {route, count, status, errorNum,
 * errorMessage}`, `member {id, status}`, `failover {id}`, `maintenanceSeconds`, `drop {route}`,
 * `refuseForMs`; DELETE resets;
 * GET shows state.
 * GET /_sim/members/<id>/metrics serves any member's metrics page; POST /_sim/ttl runs the TTL sweep.
 */
export async function simControl(
  faults: FaultController,
  inst: Instance,
  method: string,
  segments: string[],
  body: Buffer,
): Promise<Reply> {
  const what = segments.join('/');
  if (what === 'faults' && method === 'GET') return json(faults.snapshot());
  if (what === 'faults' && method === 'DELETE') {
    await faults.reset();
    return json(faults.snapshot());
  }
  if (what === 'faults' && method === 'POST') {
    const b = parse(body);
    const latency = b.latency as { route?: unknown; ms?: unknown } | undefined;
    if (latency) faults.addLatency(String(latency.route ?? ''), Number(latency.ms ?? 0));
    const f = b.failure as Record<string, unknown> | undefined;
    if (f) {
      faults.failNext(
        String(f.route ?? ''),
        Number(f.count ?? 1),
        Number(f.status ?? 503),
        Number(f.errorNum ?? 503),
        typeof f.errorMessage === 'string' ? f.errorMessage : undefined,
      );
    }
    const m = b.member as { id?: unknown; status?: unknown } | undefined;
    if (m) {
      try {
        faults.setMemberStatus(String(m.id), String(m.status) as MemberStatus);
      } catch (e) {
        throw new SimError(404, 1203, e instanceof Error ? e.message : String(e));
      }
    }
    const fo = b.failover as { id?: unknown } | undefined;
    if (fo) {
      try {
        faults.failover(String(fo.id));
      } catch (e) {
        throw new SimError(400, 400, e instanceof Error ? e.message : String(e));
      }
    }
    if (typeof b.maintenanceSeconds === 'number') {
      try {
        faults.setSupervisionMaintenance(b.maintenanceSeconds);
      } catch (e) {
        throw new SimError(400, 400, e instanceof Error ? e.message : String(e));
      }
    }
    const d = b.drop as { route?: unknown } | undefined;
    if (d) faults.dropConnection(String(d.route ?? ''));
    if (typeof b.refuseForMs === 'number') {
      const ms = b.refuseForMs;
      // Answer first, then close the listener; it reopens on the same port after `ms`.
      setTimeout(() => {
        void faults.refuseConnections().then(() => setTimeout(() => void faults.acceptConnections(), ms));
      }, 20);
    }
    return json(faults.snapshot());
  }
  if (what === 'ttl' && method === 'POST') return json({ removed: inst.runTtl() });
  // Agents are scraped directly in real deployments (a coordinator cannot proxy to them); this
  // stands in for the agent's own /_admin/metrics endpoint. Any member id or short name works.
  const scrape = /^members\/([^/]+)\/metrics$/.exec(what);
  if (scrape && method === 'GET') {
    const member = findMember(inst.members, scrape[1] as string);
    if (!member) throw new SimError(404, 1203, `unknown cluster member: ${scrape[1]}`);
    if (inst.memberStatus.get(member.id) === 'FAILED') throw new SimError(503, 503, 'member unreachable');
    return { status: 200, text: scrapeMember(inst, member), contentType: 'text/plain; charset=utf-8' };
  }
  throw new SimError(404, 404, `unknown path '/_sim/${what}'`);
}
