import { SimError } from '../aql/host.js';
import type { Ctx } from '../http/context.js';
import { signJwt } from '../http/jwt.js';
import { json, ok } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { errors } from '../storage/errors.js';

function requireSystem(ctx: Ctx): void {
  if (ctx.dbName !== '_system') throw errors.useSystemDatabase();
}

export function databaseRoutes(r: Router): void {
  r.on('GET', '/_api/database', (ctx) => {
    requireSystem(ctx);
    if (!ctx.server.isAdmin(ctx)) throw errors.forbidden();
    return ok({ result: [...ctx.server.databases.keys()] });
  });

  r.on('GET', '/_api/database/user', (ctx) => {
    const inst = ctx.server;
    const names = [...inst.databases.keys()].filter(
      (n) => !inst.authEnabled || ctx.superuser || inst.users.databaseLevel(ctx.user ?? '', n) !== 'none',
    );
    return ok({ result: names });
  });

  r.on('GET', '/_api/database/current', (ctx) => {
    const db = ctx.db;
    const result: Record<string, unknown> = { id: db.id, name: db.name, isSystem: db.isSystem, path: 'none' };
    if (ctx.server.cluster) {
      Object.assign(result, {
        sharding: db.options.sharding,
        replicationFactor: db.options.replicationFactor,
        writeConcern: db.options.writeConcern,
        replicationVersion: '1',
      });
    }
    return ok({ result });
  });

  r.on('POST', '/_api/database', (ctx) => {
    requireSystem(ctx);
    if (!ctx.server.isAdmin(ctx)) throw errors.forbidden();
    const body = ctx.object();
    const inst = ctx.server;
    const users = Array.isArray(body.users) ? (body.users as Record<string, unknown>[]) : [];
    for (const u of users) {
      if (typeof u.username !== 'string' || u.username.length === 0)
        throw errors.badParameter('invalid user name');
    }
    const db = inst.createDatabase(body.name, (body.options ?? {}) as Record<string, unknown>);
    for (const u of users) {
      const name = u.username as string;
      const rec =
        inst.users.users.get(name) ??
        inst.users.create(
          name,
          typeof u.passwd === 'string' ? u.passwd : '',
          u.active !== false,
          (u.extra ?? {}) as Record<string, unknown>,
        );
      rec.databases.set(db.name, 'rw');
    }
    return ok({ result: true }, 201);
  });

  r.on('DELETE', '/_api/database/:name', (ctx, p) => {
    requireSystem(ctx);
    if (!ctx.server.isAdmin(ctx)) throw errors.forbidden();
    const name = p.name as string;
    if (name === '_system') throw errors.forbidden();
    if (!ctx.server.databases.delete(name)) throw errors.databaseNotFound();
    return ok({ result: true });
  });

  r.on('POST', '/_open/auth', (ctx) => {
    const body = ctx.object();
    const { username, password } = body;
    const inst = ctx.server;
    if (
      typeof username !== 'string' ||
      !inst.users.verify(username, typeof password === 'string' ? password : '')
    ) {
      throw new SimError(401, 401, 'Wrong credentials');
    }
    const now = Math.floor(inst.clock() / 1000);
    const jwt = signJwt(
      { preferred_username: username, iss: 'arangodb', iat: now, exp: now + 3600 },
      inst.jwtSecret,
    );
    return json({ jwt });
  });
}
