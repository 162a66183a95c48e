import { SimError } from '../aql/host.js';
import { findMember } from '../cluster/topology.js';
import type { Ctx } from '../http/context.js';
import { json, ok } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { scrapeMember } from '../metrics/scrape.js';
import { hasApiVersions, hasDiskUsageLicense, is312, type VersionInfo } from '../version.js';

function versionDetails(v: VersionInfo, role: string): Record<string, unknown> {
  const twelve = is312(v);
  const rocksdb = twelve ? '9.6.0' : '7.2.0';
  const v8 = twelve ? '12.1.165' : '7.9.317';
  const d: Record<string, unknown> = {
    architecture: '64bit',
    arm: 'false',
    asan: 'false',
    assertions: 'false',
    avx: 'true',
    avx2: 'false',
    'boost-version': '1.78.0',
    'build-date': '2026-08-04 14:46:15',
  };
  if (twelve) d['build-id'] = 'c944638ea472281c1a9b9e9a5517e8801bd9dde0';
  Object.assign(d, {
    'build-repository': `refs/${v.full} d222a62c8`,
    compiler: 'clang [Ubuntu Clang 19.1.7]',
    coverage: 'false',
    cplusplus: '202002',
    'curl-version': 'none',
    debug: 'false',
    endianness: 'little',
    'enterprise-build-repository': `refs/${v.full} f5bc978`,
    'enterprise-version': 'enterprise',
    'failure-tests': 'false',
  });
  if (twelve && v.patch >= 1) d.faiss = '1.14.2';
  Object.assign(d, {
    'fd-client-event-handler': 'poll',
    'fd-setsize': '1024',
    'full-version-string': `ArangoDB ${v.full} enterprise [linux] 64bit, using jemalloc, build refs/${v.full} d222a62c8, VPack 0.2.1, RocksDB ${rocksdb}, ICU 64.2, V8 ${v8}, OpenSSL 3.5.7 9 Jun 2026`,
    'icu-version': '64.2',
    ipo: 'false',
    'iresearch-version': '1.3.0.0',
    jemalloc: 'true',
    libunwind: 'true',
    license: 'enterprise',
    'maintainer-mode': 'false',
    'memory-profiler': 'true',
    ndebug: 'true',
  });
  if (twelve && v.patch >= 1) d.openmp = '5.1';
  Object.assign(d, {
    'openssl-version-compile-time': 'OpenSSL 3.5.7 9 Jun 2026',
    'openssl-version-run-time': 'OpenSSL 3.5.7 9 Jun 2026',
    'optimization-flags':
      '-mfxsr -mmmx -msse -msse2 -mcx16 -msahf -mpopcnt -msse3 -msse4.1 -msse4.2 -mssse3 -mpclmul -mavx -mxsave',
    pic: '2',
    pie: '2',
    platform: 'linux',
    'reactor-type': 'epoll',
    'replication2-enabled': 'false',
    'rocksdb-version': rocksdb,
    'server-version': v.full,
    'sizeof int': '4',
    'sizeof long': '8',
    'sizeof void*': '8',
    sse42: 'true',
    tsan: 'false',
    'unaligned-access': twelve ? 'false' : 'true',
    'v8-version': v8,
    'vpack-version': '0.2.1',
    'zlib-version': '1.2.13',
    mode: 'server',
    role,
    host: 'localhost',
  });
  return d;
}

function serverRole(ctx: Ctx): string {
  return ctx.server.cluster ? 'COORDINATOR' : 'SINGLE';
}

export function adminRoutes(r: Router): void {
  const version = (ctx: Ctx) => {
    const v = ctx.server.version;
    const body: Record<string, unknown> = { server: 'arango', license: 'enterprise', version: v.full };
    if (ctx.flag('details')) body.details = versionDetails(v, serverRole(ctx));
    if (hasApiVersions(v))
      Object.assign(body, { apiVersions: ['v0'], deprecatedApiVersions: [], requestedApiVersion: 'v0' });
    return json(body);
  };
  r.on('GET', '/_api/version', version);
  r.on('GET', '/_admin/version', version);

  r.on('GET', '/_api/engine', (ctx) => {
    const twelve = is312(ctx.server.version);
    const supports: Record<string, unknown> = twelve ? {} : { dfdb: false };
    supports.indexes = twelve
      ? [
          'primary',
          'edge',
          'hash',
          'skiplist',
          'ttl',
          'persistent',
          'geo',
          'fulltext',
          'mdi',
          'mdi-prefixed',
          'inverted',
        ]
      : ['primary', 'edge', 'hash', 'skiplist', 'ttl', 'persistent', 'geo', 'fulltext', 'zkd', 'inverted'];
    supports.aliases = {
      indexes: twelve
        ? { hash: 'persistent', skiplist: 'persistent', zkd: 'mdi' }
        : { hash: 'persistent', skiplist: 'persistent' },
    };
    return json(twelve ? { name: 'rocksdb', supports, endianness: 'big' } : { name: 'rocksdb', supports });
  });

  r.on('GET', '/_admin/server/role', (ctx) => ok({ role: serverRole(ctx), mode: 'default' }));

  // Readiness probes (the Kubernetes operator's and ours) use these.
  r.on('GET', '/_admin/server/availability', () => ok({ mode: 'default' }));
  r.on('GET', '/_admin/server/mode', () => ok({ mode: 'default' }));

  r.on('GET', '/_admin/license', (ctx) => {
    const inst = ctx.server;
    if (hasDiskUsageLicense(inst.version)) {
      let documents = 0;
      for (const db of inst.databases.values())
        for (const c of db.collections.values()) documents += c.count();
      const bytesUsed = 300_000 + documents * 200;
      return json({
        upgrading: false,
        diskUsage: {
          bytesUsed,
          bytesLimit: 107374182400,
          limitReached: false,
          secondsUntilReadOnly: 315569520,
          secondsUntilShutDown: 315569520,
          status: 'good',
        },
      });
    }
    // The docs server's enterprise license was close to expiry: 10 days left.
    const expires = Math.floor(inst.startedAt / 1000) + 10 * 86400;
    return json({
      upgrading: false,
      features: { expires },
      license: 'JD4EOXdkc1ZVOnlUBVR8UwNBZ1gH',
      version: 1,
      status: 'expiring',
    });
  });

  r.on('GET', '/_admin/time', (ctx) => ok({ time: ctx.server.clock() / 1000 }));

  r.on('GET', '/_admin/status', (ctx) => {
    const inst = ctx.server;
    const self = inst.members.find((m) => m.role === 'Coordinator');
    const serverInfo: Record<string, unknown> = {
      progress: { phase: 'in wait', feature: '', recoveryTick: 0 },
      maintenance: false,
      role: serverRole(ctx),
      writeOpsEnabled: true,
      readOnly: false,
    };
    if (self) {
      Object.assign(serverInfo, {
        persistedId: self.id,
        rebootId: 1,
        address: self.endpoint,
        serverId: self.id,
        state: 'SERVING',
      });
    }
    const body: Record<string, unknown> = {
      server: 'arango',
      version: inst.version.full,
      pid: process.pid,
      license: 'enterprise',
      mode: 'server',
      operationMode: 'server',
      foxxApi: true,
      host: 'localhost',
      hostname: 'arangodb-sim',
      serverInfo,
    };
    if (self) {
      body.coordinator = { foxxmaster: self.id, isFoxxmaster: true };
      body.agency = {
        agencyComm: { endpoints: inst.members.filter((m) => m.role === 'Agent').map((m) => m.endpoint) },
      };
    }
    return json(body);
  });

  r.on('GET', '/_admin/cluster/health', (ctx) => {
    const inst = ctx.server;
    if (!inst.cluster) throw new SimError(403, 11, 'only allowed on single server with active failover');
    const now = inst.clock();
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const leader = inst.members.find((m) => m.role === 'Agent');
    const health: Record<string, unknown> = {};
    for (const m of inst.members) {
      const status = inst.memberStatus.get(m.id) ?? 'GOOD';
      if (m.role === 'Agent') {
        const entry: Record<string, unknown> = {
          Endpoint: m.endpoint,
          Role: 'Agent',
          CanBeDeleted: false,
          Engine: 'rocksdb',
          Version: inst.version.full,
          Leader: leader?.id,
          Status: status === 'GOOD' ? 'GOOD' : 'BAD',
        };
        if (status === 'GOOD') {
          entry.Leading = m === leader;
          entry.LastAckedTime = m === leader ? 0 : 0.25;
        }
        health[m.id] = entry;
        continue;
      }
      const lastAck = status === 'GOOD' ? now - 1000 : status === 'BAD' ? now - 7000 : now - 60000;
      // HealthRecord::toVelocyPack order; SyncTime is documented from 3.12 on.
      const record: Record<string, unknown> = {
        ShortName: m.shortName,
        Endpoint: m.endpoint,
        Host: `${m.shortName?.toLowerCase()}-host`,
        SyncStatus: status === 'FAILED' ? 'UNKNOWN' : 'SERVING',
        Status: status,
        Version: inst.version.full,
        Engine: 'rocksdb',
        Timestamp: iso(now),
      };
      if (is312(inst.version)) record.SyncTime = iso(lastAck);
      record.LastAckedTime = iso(lastAck);
      record.Role = m.role;
      // A FAILED coordinator can go; a DB-Server also needs to hold no shards, which a seeded one always does.
      record.CanBeDeleted = status === 'FAILED' && m.role === 'Coordinator';
      health[m.id] = record;
    }
    return ok({ ClusterId: 'c0ffee00-5151-4d1e-a000-000000000001', Health: health });
  });

  // RestAdminClusterHandler::handleMaintenance: admin users only (rw on _system), and only where
  // there is an agency; the supervision answers with its Supervision/State/Mode.
  const maintenance = (ctx: Ctx) => {
    const inst = ctx.server;
    if (!inst.isAdmin(ctx)) throw new SimError(403, 403, 'forbidden');
    if (!inst.cluster) throw new SimError(403, 403, 'only allowed on single server with active failover');
    return inst;
  };
  r.on('GET', '/_admin/cluster/maintenance', (ctx) =>
    json({ error: false, result: maintenance(ctx).supervisionMode }),
  );
  r.on('PUT', '/_admin/cluster/maintenance', (ctx) => {
    const inst = maintenance(ctx);
    const body = ctx.json();
    // "on" is 60 minutes; a number of seconds (as a number or a string) sets another duration.
    const seconds =
      body === 'on'
        ? 3600
        : typeof body === 'number' || (typeof body === 'string' && /^\d+$/.test(body))
          ? Number(body)
          : undefined;
    if (body === 'off') {
      inst.maintenanceUntil = undefined;
      return json({ error: false, warning: 'Cluster supervision reactivated.' });
    }
    if (seconds === undefined) throw new SimError(400, 10, 'string expected with value `on` or `off`');
    inst.maintenanceUntil = inst.clock() + seconds * 1000;
    const until = new Date(inst.maintenanceUntil).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return json({
      error: false,
      warning: `Cluster supervision deactivated. It will be reactivated automatically at ${until} unless this call is repeated until then.`,
    });
  });

  const metrics = (ctx: Ctx) => {
    const inst = ctx.server;
    const serverId = ctx.query.serverId;
    let member = inst.members.find((m) => m.role === 'Coordinator');
    if (serverId !== undefined) {
      const target = findMember(inst.members, serverId);
      // Agents are not registered cluster servers: a coordinator cannot proxy to them.
      if (!inst.cluster || !target || target.role === 'Agent') {
        throw new SimError(404, 400, 'Unknown value of serverId parameter.');
      }
      if (inst.memberStatus.get(target.id) === 'FAILED') {
        throw new SimError(
          503,
          1478,
          'A cluster backend which was required for the operation could not be reached',
        );
      }
      member = target;
    }
    const text = scrapeMember(inst, inst.cluster ? member : undefined);
    return { status: 200, text, contentType: 'text/plain; charset=utf-8' };
  };
  r.on('GET', '/_admin/metrics', metrics);
  r.on('GET', '/_admin/metrics/v2', metrics);
}
