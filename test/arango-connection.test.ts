import { createHmac } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  ArangoServerError,
  ConnectionError,
  createArangoConnection,
  createLogger,
  EXIT_CODES,
  InputError,
  isArangoServerError,
} from '@arangops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArangoTarget, arangoTarget, simOnly } from './harness/arango-target.js';
import { freePort } from './harness/net.js';
import { tempDir } from './harness/temp-dir.js';
import { makeTestCertificates } from './harness/tls.js';

const JWT_SECRET = 'arangops-test-jwt-secret-0123456789';

function hs256(claims: Record<string, unknown>, secret: string): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

let target: ArangoTarget;

beforeAll(async () => {
  target = await arangoTarget({
    mode: 'single',
    version: '3.11.14',
    auth: { users: { root: 'sim-root-password' }, jwtSecret: JWT_SECRET },
  });
});
afterAll(async () => {
  await target.stop();
});

describe('createArangoConnection', () => {
  it('authenticates with a password, and a wrong one is a server error with ArangoDB errorNum 11', async () => {
    const ok = createArangoConnection(target.config());
    expect((await ok.withRetry('version', () => ok.database().version())).server).toBe('arango');
    ok.close();

    const bad = createArangoConnection(target.config({ password: 'not-the-password' }));
    const err = await bad.withRetry('version', () => bad.database().version()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArangoServerError);
    expect(err).toMatchObject({ code: 401, exitCode: EXIT_CODES.server });
    bad.close();
  });

  it('reads the JWT file again when it changes, so rotated tokens are used', async () => {
    if (!simOnly(target, 'JWT rotation')) return;
    const jwtFile = join(tempDir('conn'), 'token');
    const now = Math.floor(Date.now() / 1000);
    writeFileSync(
      jwtFile,
      hs256({ iss: 'arangodb', server_id: 'arangops', iat: now, exp: now + 600 }, JWT_SECRET),
    );
    const conn = createArangoConnection(target.config({ jwtFile, password: undefined }));
    expect((await conn.database().version()).server).toBe('arango');

    // Same length, different mtime: a token signed with another secret is refused...
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(
      jwtFile,
      hs256({ iss: 'arangodb', server_id: 'arangops', iat: now, exp: now + 600 }, `${JWT_SECRET}x`),
    );
    await expect(conn.database().version()).rejects.toMatchObject({ code: 401 });
    // ...and a valid rotated token is accepted again without a new connection.
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(
      jwtFile,
      hs256({ iss: 'arangodb', server_id: 'arangops', iat: now + 1, exp: now + 900 }, JWT_SECRET),
    );
    expect((await conn.database().version()).server).toBe('arango');
    conn.close();
  });

  it('names the JWT file when it becomes empty or disappears (exit 2, not a bare 401 or exit 70)', async () => {
    const jwtFile = join(tempDir('conn'), 'token');
    writeFileSync(jwtFile, 'a-token-checked-at-start');
    const conn = createArangoConnection(target.config({ jwtFile, password: undefined }));
    // Emptied by a broken rotation after the config was checked.
    writeFileSync(jwtFile, '\n');
    await expect(conn.database().version()).rejects.toThrow(
      new InputError('the JWT file is empty', { file: jwtFile, field: 'arango.jwtFile' }),
    );
    rmSync(jwtFile);
    await expect(conn.withRetry('version', () => conn.database().version())).rejects.toMatchObject({
      exitCode: EXIT_CODES.input,
      message: `${jwtFile} (arango.jwtFile): cannot read the JWT file: ENOENT`,
    });
    conn.close();
  });

  it('retries a transient 503 with backoff, but never a request that failed for good', async () => {
    if (!simOnly(target, 'retry')) return;
    const { sim } = target;
    const conn = createArangoConnection(target.config(), { logger: createLogger({ level: 'silent' }) });
    const versionCalls = () => sim.state.requestLog.filter((r) => r.path === '/_api/version').length;

    sim.state.clearRequestLog();
    sim.faults.failNext('/_api/version', 2, 503, 503, 'service unavailable');
    expect((await conn.withRetry('version', () => conn.database().version())).server).toBe('arango');
    expect(versionCalls()).toBe(3);

    sim.state.clearRequestLog();
    sim.faults.failNext('/_api/version', 1, 404, 1203, 'collection or view not found: x');
    const err = await conn.withRetry('version', () => conn.database().version()).catch((e: unknown) => e);
    expect(isArangoServerError(err, 1203)).toBe(true);
    expect(versionCalls()).toBe(1);

    sim.state.clearRequestLog();
    sim.faults.failNext('/_api/version', 10, 503, 503);
    await expect(conn.withRetry('version', () => conn.database().version())).rejects.toMatchObject({
      code: 503,
    });
    expect(versionCalls()).toBe(4); // one try + retries.max (3)
    await sim.faults.reset();
    conn.close();
  });

  it('moves on to the next endpoint when one refuses connections', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const conn = createArangoConnection(target.config({ url: [dead, target.url] }));
    expect((await conn.withRetry('version', () => conn.database().version())).server).toBe('arango');
    conn.close();
  });

  it('reports an unreachable server as a ConnectionError (exit 3) after its retries', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const conn = createArangoConnection(target.config({ url: [dead] }), {
      logger: createLogger({ level: 'silent' }),
    });
    const err = await conn.withRetry('version', () => conn.database().version()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).exitCode).toBe(EXIT_CODES.unavailable);
    conn.close();
  });
});

describe('requestBytes', () => {
  it('GETs a path of the database as raw bytes, with the password, moving past an endpoint that refuses', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const conn = createArangoConnection(target.config({ url: [dead, target.url] }));
    const bytes = await conn.requestBytes({ pathname: '/_admin/metrics/v2', timeout: 5000 });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes).toString()).toMatch(/^# TYPE arangodb_\w+ /m);
    // The next request starts from the endpoint that answered.
    expect((await conn.requestBytes({ pathname: '/_api/version', timeout: 5000 })).length).toBeGreaterThan(0);
    conn.close();

    const bad = createArangoConnection(target.config({ password: 'not-the-password' }));
    const err = await bad
      .requestBytes({ pathname: '/_admin/metrics/v2', timeout: 5000 })
      .catch((e: Error) => e);
    expect(String(err)).toMatch(/GET \/_db\/\w+\/_admin\/metrics\/v2 on 127\.0\.0\.1:\d+ answered 401/);
    expect(String(err)).not.toContain('not-the-password');
    bad.close();
  });

  it('asks below the path of an endpoint behind a proxy prefix, as arangojs does', async () => {
    const paths: string[] = [];
    const front = createHttpServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok 1\n');
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}/arango`;
    const conn = createArangoConnection(target.config({ url: [url] }));
    try {
      const bytes = await conn.requestBytes({
        pathname: '/_admin/metrics/v2',
        search: { serverId: 'PRMR-1' },
        timeout: 5000,
      });
      expect(Buffer.from(bytes).toString()).toBe('ok 1\n');
      await conn.database().request({ pathname: '/_admin/metrics/v2', search: { serverId: 'PRMR-1' } });
      expect(paths[0]).toMatch(/^\/arango\/_db\/\w+\/_admin\/metrics\/v2\?serverId=PRMR-1$/);
      expect(paths[1]).toBe(paths[0]);
    } finally {
      conn.close();
      front.close();
    }
  });

  it('reads a body that comes in many pieces whole, and gives up on one that stops coming without asking the next endpoint', async () => {
    const line = 'arangodb_example_total{server="PRMR-1"} 1\n';
    let slowAsked = 0;
    const front = createHttpServer((req, res) => {
      if (req.url?.includes('slow')) {
        slowAsked++;
        res.writeHead(200, { 'content-type': 'text/plain' }).write(line);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      // Far above a socket read: the body arrives as many chunks.
      for (let i = 0; i < 10_000; i++) res.write(line);
      res.end();
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const conn = createArangoConnection(target.config({ url: [url, url] }));
    try {
      const bytes = await conn.requestBytes({ pathname: '/_admin/metrics/v2', timeout: 5000 });
      expect(Buffer.from(bytes).toString()).toBe(line.repeat(10_000));
      const err = await conn
        .requestBytes({ pathname: '/slow', timeout: 200 })
        .catch((e: unknown) => e as Error);
      expect(String(err)).toMatch(
        /GET \/_db\/\w+\/slow on 127\.0\.0\.1:\d+ failed: no complete answer within \d+ ms/,
      );
      expect(slowAsked).toBe(1);
    } finally {
      conn.close();
      front.closeAllConnections();
      front.close();
    }
  });

  it('sends the token of the JWT file, read again when it changes', async () => {
    if (!simOnly(target, 'JWT rotation')) return;
    const jwtFile = join(tempDir('conn'), 'token');
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'arangodb', server_id: 'arangops', iat: now, exp: now + 600 };
    writeFileSync(jwtFile, hs256(claims, `${JWT_SECRET}x`));
    const conn = createArangoConnection(target.config({ jwtFile, password: undefined }));
    const get = () => conn.requestBytes({ pathname: '/_api/version', timeout: 5000 });
    await expect(get()).rejects.toThrow(/answered 401/);
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(jwtFile, hs256(claims, JWT_SECRET));
    expect(JSON.parse(Buffer.from(await get()).toString())).toMatchObject({ server: 'arango' });
    conn.close();
  });
});

describe('a server that cannot be reached', () => {
  const capture = () => {
    const lines: Array<{ level: string; msg: string; attempt?: number }> = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (l: string) => lines.push(JSON.parse(l)) },
    });
    return { lines, logger };
  };

  it('fails at once, naming the URL, when a retry cannot help (a port fetch refuses)', async () => {
    const { lines, logger } = capture();
    const conn = createArangoConnection(target.config({ url: ['http://127.0.0.1:1'] }), { logger });
    const err = await conn.withRetry('version', () => conn.database().version()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toBe('cannot reach ArangoDB at http://127.0.0.1:1: bad port');
    expect(lines.filter((l) => l.msg === 'retrying')).toEqual([]);
    conn.close();
  });

  it('retries a refused connection, warning once and logging the further retries at debug level', async () => {
    const { lines, logger } = capture();
    const dead = `http://127.0.0.1:${await freePort()}`;
    const config = target.config({ url: [dead] });
    const conn = createArangoConnection(
      { ...config, retries: { max: 3, baseDelayMs: 1, maxDelayMs: 2 } },
      { logger },
    );
    const tries = ['version', 'role'].map((label) =>
      conn.withRetry(label, () => conn.database().version()).catch((e: unknown) => e),
    );
    const errors = await Promise.all(tries);
    for (const err of errors)
      expect((err as Error).message).toMatch(`cannot reach ArangoDB at ${dead}: connect ECONNREFUSED`);
    const retries = lines.filter((l) => l.msg === 'retrying');
    expect(retries).toHaveLength(6);
    expect(retries.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(retries[0]).toMatchObject({ level: 'warn', attempt: 1 });
    conn.close();
  });
});

describe('TLS', () => {
  let url: string;
  let caFile: string;
  let close: () => void;

  beforeAll(async () => {
    const certs = makeTestCertificates();
    caFile = certs.caFile;
    // A TLS front that answers like a server's /_api/version.
    const server = createServer(
      { key: readFileSync(certs.keyFile), cert: readFileSync(certs.certFile) },
      (_req, res) => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ server: 'arango', version: '3.12.10', license: 'community' }));
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('verifies the server against the configured CA', async () => {
    const conn = createArangoConnection(target.config({ url: [url], tls: { caFile, insecure: false } }));
    expect((await conn.database().version()).version).toBe('3.12.10');
    // Raw bytes go through the same CA.
    const bytes = await conn.requestBytes({ pathname: '/_api/version', timeout: 5000 });
    expect(JSON.parse(Buffer.from(bytes).toString())).toMatchObject({ version: '3.12.10' });
    conn.close();
  });

  it('refuses an unknown CA unless insecure is set, which logs a warning', async () => {
    const strict = createArangoConnection(
      target.config({ url: [url], retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 } }),
    );
    await expect(strict.withRetry('version', () => strict.database().version())).rejects.toBeInstanceOf(
      ConnectionError,
    );
    await expect(strict.requestBytes({ pathname: '/_api/version', timeout: 5000 })).rejects.toThrow(
      /^GET \/_db\/\w+\/_api\/version on 127\.0\.0\.1:\d+ failed: unable to verify the first certificate/,
    );
    strict.close();

    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } });
    const insecure = createArangoConnection(target.config({ url: [url], tls: { insecure: true } }), {
      logger,
    });
    expect((await insecure.database().version()).server).toBe('arango');
    expect(lines.join('')).toContain('arango.tls.insecure is set');
    const bytes = await insecure.requestBytes({ pathname: '/_api/version', timeout: 5000 });
    expect(JSON.parse(Buffer.from(bytes).toString())).toMatchObject({ server: 'arango' });
    insecure.close();
  });
});
