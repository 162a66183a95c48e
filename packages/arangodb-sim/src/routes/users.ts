import type { Ctx } from '../http/context.js';
import { ok, okCodeLast } from '../http/reply.js';
import type { Router } from '../http/router.js';
import { errors } from '../storage/errors.js';
import { isLevel, type UserRecord } from '../storage/users.js';

function view(u: UserRecord): Record<string, unknown> {
  return { user: u.user, active: u.active, extra: u.extra };
}

/** Users may read themselves; everything else needs rw on _system. */
function requireSelfOrAdmin(ctx: Ctx, user: string): void {
  if (ctx.server.isAdmin(ctx) || ctx.user === user) return;
  throw errors.forbidden();
}

function requireAdmin(ctx: Ctx): void {
  if (!ctx.server.isAdmin(ctx)) throw errors.forbidden();
}

export function userRoutes(r: Router): void {
  r.on('POST', '/_api/user', (ctx) => {
    requireAdmin(ctx);
    const b = ctx.object();
    if (typeof b.user !== 'string' || b.user.length === 0) throw errors.badParameter('invalid user name');
    const u = ctx.server.users.create(
      b.user,
      typeof b.passwd === 'string' ? b.passwd : '',
      b.active !== false,
      (b.extra ?? {}) as Record<string, unknown>,
    );
    return okCodeLast(view(u), 201);
  });

  r.on('GET', '/_api/user', (ctx) => {
    const users = [...ctx.server.users.users.values()];
    const visible = ctx.server.isAdmin(ctx) ? users : users.filter((u) => u.user === ctx.user);
    return ok({ result: visible.map(view) });
  });

  r.on('GET', '/_api/user/:user', (ctx, p) => {
    requireSelfOrAdmin(ctx, p.user as string);
    return okCodeLast(view(ctx.server.users.get(p.user as string)));
  });

  const modify = (replace: boolean) => (ctx: Ctx, p: Record<string, string>) => {
    requireAdmin(ctx);
    const users = ctx.server.users;
    const u = users.get(p.user as string);
    const b = ctx.object();
    if (typeof b.passwd === 'string') users.setPassword(u, b.passwd);
    else if (replace) users.setPassword(u, '');
    if (typeof b.active === 'boolean') u.active = b.active;
    else if (replace) u.active = true;
    if (b.extra && typeof b.extra === 'object')
      u.extra = replace ? (b.extra as Record<string, unknown>) : { ...u.extra, ...(b.extra as object) };
    else if (replace) u.extra = {};
    return okCodeLast(view(u));
  };
  r.on('PATCH', '/_api/user/:user', modify(false));
  r.on('PUT', '/_api/user/:user', modify(true));

  r.on('DELETE', '/_api/user/:user', (ctx, p) => {
    requireAdmin(ctx);
    const users = ctx.server.users;
    users.get(p.user as string);
    users.users.delete(p.user as string);
    return ok({}, 202);
  });

  r.on('GET', '/_api/user/:user/database', (ctx, p) => {
    requireSelfOrAdmin(ctx, p.user as string);
    const inst = ctx.server;
    const u = inst.users.get(p.user as string);
    const result: Record<string, unknown> = {};
    for (const [name, db] of inst.databases) {
      const level = inst.users.databaseLevel(u.user, name);
      if (ctx.flag('full')) {
        const collections: Record<string, string> = {};
        for (const c of db.collections.keys())
          collections[c] = u.collections.get(`${name}/${c}`) ?? 'undefined';
        collections['*'] = u.collections.get(`${name}/*`) ?? 'undefined';
        result[name] = { permission: level, collections };
      } else if (level !== 'none') {
        result[name] = level;
      }
    }
    if (ctx.flag('full')) result['*'] = { permission: u.databases.get('*') ?? 'none' };
    return ok({ result });
  });

  r.on('GET', '/_api/user/:user/database/:db', (ctx, p) => {
    requireSelfOrAdmin(ctx, p.user as string);
    const users = ctx.server.users;
    users.get(p.user as string);
    return ok({ result: users.databaseLevel(p.user as string, p.db as string) });
  });

  r.on('GET', '/_api/user/:user/database/:db/:coll', (ctx, p) => {
    requireSelfOrAdmin(ctx, p.user as string);
    const users = ctx.server.users;
    users.get(p.user as string);
    return ok({ result: users.collectionLevel(p.user as string, p.db as string, p.coll as string) });
  });

  r.on('PUT', '/_api/user/:user/database/:db', (ctx, p) => {
    requireAdmin(ctx);
    const u = ctx.server.users.get(p.user as string);
    const grant = ctx.object().grant;
    if (!isLevel(grant)) throw errors.badParameter('invalid grant');
    u.databases.set(p.db as string, grant);
    return okCodeLast({ [p.db as string]: grant });
  });

  r.on('PUT', '/_api/user/:user/database/:db/:coll', (ctx, p) => {
    requireAdmin(ctx);
    const u = ctx.server.users.get(p.user as string);
    const grant = ctx.object().grant;
    if (!isLevel(grant)) throw errors.badParameter('invalid grant');
    const key = `${p.db}/${p.coll}`;
    u.collections.set(key, grant);
    return okCodeLast({ [key]: grant });
  });

  r.on('DELETE', '/_api/user/:user/database/:db', (ctx, p) => {
    requireAdmin(ctx);
    ctx.server.users.get(p.user as string).databases.delete(p.db as string);
    return ok({}, 202);
  });

  r.on('DELETE', '/_api/user/:user/database/:db/:coll', (ctx, p) => {
    requireAdmin(ctx);
    ctx.server.users.get(p.user as string).collections.delete(`${p.db}/${p.coll}`);
    return ok({}, 202);
  });
}
