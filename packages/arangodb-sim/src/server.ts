import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimError } from './aql/host.js';
import { findMember } from './cluster/topology.js';
import { FaultState } from './faults.js';
import { Ctx } from './http/context.js';
import { verifyJwt } from './http/jwt.js';
import { errorReply, type Reply } from './http/reply.js';
import { Instance } from './instance.js';
import { buildRouter } from './routes/index.js';
import { simControl } from './routes/sim-control.js';
import { loadSeed } from './seed/load.js';
import type { FaultController, RequestLogEntry, Simulator, SimulatorOptions } from './types.js';
import { parseVersion } from './version.js';

// Headers every real response carries (notes/http-examples.md §1).
const BOILERPLATE: Record<string, string> = {
  'cache-control': 'no-cache, no-store, must-revalidate, pre-check=0, post-check=0, max-age=0, s-maxage=0',
  'content-security-policy': "frame-ancestors 'self'; form-action 'self';",
  expires: '0',
  pragma: 'no-cache',
  server: 'ArangoDB',
  'strict-transport-security': 'max-age=31536000 ; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-arango-queue-time-seconds': '0.000000',
};

const JSON_TYPE = 'application/json; charset=utf-8';
const REQUEST_LOG_LIMIT = 100_000;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function splitPath(rawPath: string): { dbName: string; path: string; segments: string[] } {
  const segs = rawPath
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  let dbName = '_system';
  if (segs[0] === '_db' && segs.length >= 2) {
    dbName = segs[1] as string;
    segs.splice(0, 2);
  }
  return { dbName, path: `/${segs.join('/')}`, segments: segs };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const version = parseVersion(options.version ?? '3.12.10');
  const mode = options.mode ?? 'single';
  const clock = options.clock ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const faults = new FaultState();
  const requestLog: RequestLogEntry[] = [];
  const router = buildRouter();
  let instance: Instance | undefined;

  const authenticate = (
    req: IncomingMessage,
    inst: Instance,
  ): { user?: string; superuser: boolean } | undefined => {
    if (!inst.authEnabled) return { superuser: true };
    const h = req.headers.authorization ?? '';
    if (h.startsWith('Basic ')) {
      const decoded = Buffer.from(h.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      const user = i < 0 ? decoded : decoded.slice(0, i);
      const pw = i < 0 ? '' : decoded.slice(i + 1);
      return inst.users.verify(user, pw) ? { user, superuser: false } : undefined;
    }
    if (h.startsWith('bearer ') || h.startsWith('Bearer ')) {
      const claims = verifyJwt(h.slice(7).trim(), inst.jwtSecret, clock() / 1000);
      if (!claims) return undefined;
      if (typeof claims.preferred_username === 'string') {
        const u = inst.users.users.get(claims.preferred_username);
        return u?.active ? { user: u.user, superuser: false } : undefined;
      }
      if (typeof claims.server_id === 'string') {
        const allowed = claims.allowed_paths;
        if (Array.isArray(allowed) && !allowed.includes(req.url?.split('?')[0])) return undefined;
        return { superuser: true };
      }
      return undefined;
    }
    return undefined;
  };

  const send = (req: IncomingMessage, res: ServerResponse, reply: Reply, drop: boolean): void => {
    const headers: Record<string, string> = { ...BOILERPLATE, ...reply.headers };
    let payload: string | undefined;
    if (reply.text !== undefined) {
      payload = reply.text;
      headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
    } else if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers['content-type'] = reply.contentType ?? JSON_TYPE;
    } else {
      headers['content-type'] = reply.contentType ?? (reply.status === 304 ? 'text/plain' : JSON_TYPE);
    }
    const buf = payload === undefined ? undefined : Buffer.from(payload, 'utf8');
    headers['content-length'] = String(buf?.length ?? 0);
    res.writeHead(reply.status, headers);
    if (req.method === 'HEAD' || !buf) {
      res.end();
      return;
    }
    if (drop) {
      // Half a body then a reset: clients must see a truncated response, not a clean one.
      res.write(buf.subarray(0, Math.max(1, Math.floor(buf.length / 2))));
      setImmediate(() => res.socket?.destroy());
      return;
    }
    res.end(buf);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const inst = instance as Instance;
    const url = new URL(req.url ?? '/', 'http://sim');
    const { dbName, path, segments } = splitPath(url.pathname);
    const method = req.method ?? 'GET';
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const body = await readBody(req);
    let reply: Reply;
    let user: string | undefined;
    let drop = false;
    try {
      if (segments[0] === '_sim') {
        reply = await simControl(controller, inst, method, segments.slice(1), body);
      } else {
        const latency = faults.latencyFor(method, path);
        if (latency > 0) await new Promise((r) => setTimeout(r, latency));
        const failure = faults.takeFailure(method, path);
        if (failure)
          throw new SimError(failure.status, failure.errorNum, failure.errorMessage ?? 'simulated failure');
        drop = faults.shouldDrop(method, path);
        const open = path === '/_open/auth';
        const auth = open ? { superuser: false } : authenticate(req, inst);
        if (!auth) throw new SimError(401, 11, 'not authorized to execute this request');
        user = auth.user;
        const ctx = new Ctx(
          inst,
          req,
          method,
          path,
          segments,
          query,
          dbName,
          body,
          auth.user,
          auth.superuser,
        );
        if (!open) inst.checkDatabase(ctx);
        const { handler, params } = router.resolve(method, segments, path);
        reply = await handler(ctx, params);
      }
    } catch (e) {
      if (e instanceof SimError) reply = errorReply(e);
      else {
        const message = e instanceof Error ? e.message : String(e);
        reply = errorReply(new SimError(500, 4, `internal error: ${message}`));
      }
    }
    requestLog.push({
      method,
      path,
      query: url.search.slice(1),
      database: dbName,
      status: reply.status,
      ...(user ? { user } : {}),
    });
    // A long-running demo must not grow without bound; tests clear the log long before this.
    if (requestLog.length > REQUEST_LOG_LIMIT) requestLog.splice(0, requestLog.length - REQUEST_LOG_LIMIT);
    send(req, res, reply, drop);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });
  server.keepAliveTimeout = 60_000;

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });

  const port = await listen(options.port ?? 0);
  instance = new Instance(version, mode, clock, options.auth ?? false, port);
  const inst = instance;
  if (options.failoverDelayMs !== undefined) inst.failoverDelayMs = options.failoverDelayMs;
  if (options.seed) loadSeed(inst, options.seed === true ? {} : options.seed);

  const ttlTimer = setInterval(() => inst.runTtl(), options.ttlIntervalMs ?? 30_000);
  ttlTimer.unref();

  const controller: FaultController = {
    addLatency: (route, ms) => {
      faults.latency.push({ route, ms });
    },
    failNext: (route, count, status, errorNum, errorMessage) => {
      faults.failures.push({ route, count, status, errorNum, ...(errorMessage ? { errorMessage } : {}) });
    },
    setMemberStatus: (member, status) => {
      const m = findMember(inst.members, member);
      if (!m) throw new Error(`unknown cluster member: ${member}`);
      inst.setMemberStatus(m.id, status);
    },
    failover: (member) => {
      const m = findMember(inst.members, member);
      if (!m) throw new Error(`unknown cluster member: ${member}`);
      if (inst.memberStatus.get(m.id) !== 'FAILED') throw new Error(`member is not FAILED: ${member}`);
      inst.failoverDone.add(m.id);
    },
    setSupervisionMaintenance: (seconds) => {
      if (!inst.cluster) throw new Error('supervision maintenance needs cluster mode');
      inst.maintenanceUntil = seconds > 0 ? inst.clock() + seconds * 1000 : undefined;
    },
    dropConnection: (route) => {
      faults.drops.push(route);
    },
    refuseConnections: async () => {
      faults.refusing = true;
      await close();
    },
    acceptConnections: async () => {
      if (server.listening) return;
      await listen(port);
      faults.refusing = false;
    },
    reset: async () => {
      faults.clear();
      inst.clearMemberStatus();
      await controller.acceptConnections();
    },
    snapshot: () => ({
      ...faults.snapshot(inst.memberStatus),
      failedOver: [...inst.memberStatus.keys()].filter((id) => inst.failedOver(id)),
      supervisionMode: inst.supervisionMode,
    }),
  };

  return {
    url: `http://${host}:${port}`,
    port,
    version: version.full,
    mode,
    faults: controller,
    state: {
      requestLog,
      members: inst.members,
      databases: () => [...inst.databases.keys()],
      count: (db, coll) => inst.databases.get(db)?.collections.get(coll)?.count(),
      runTtl: () => inst.runTtl(),
      clearRequestLog: () => {
        requestLog.length = 0;
      },
    },
    stop: async () => {
      clearInterval(ttlTimer);
      await close();
    },
  };
}
