import { SimError } from '../aql/host.js';
import type { Ctx } from '../http/context.js';
import { json, ok } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { AnalyzerRecord } from '../storage/database.js';
import { errors } from '../storage/errors.js';

const TEXT_LOCALES = ['de', 'en', 'es', 'fi', 'fr', 'it', 'nl', 'no', 'pt', 'ru', 'sv', 'zh'];

/** Built-in analyzers: global, unprefixed, with every property default filled in. */
export const BUILT_IN: AnalyzerRecord[] = [
  { name: 'identity', type: 'identity', properties: {}, features: ['frequency', 'norm'] },
  ...TEXT_LOCALES.map((locale) => ({
    name: `text_${locale}`,
    type: 'text',
    properties: { locale, case: 'lower', stopwords: [], accent: false, stemming: true },
    features: ['frequency', 'position', 'norm'],
  })),
];

/** Whether any arangosearch link or inverted index (or a nested field of one) names the analyzer, by full or short name. */
function inUse(ctx: Ctx, key: string): boolean {
  const short = key.split('::')[1];
  const named = (a: unknown) => a === key || a === short;
  const linkUses = (node: unknown): boolean => {
    if (!node || typeof node !== 'object') return false;
    const n = node as Record<string, unknown>;
    if (Array.isArray(n.analyzers) && n.analyzers.some(named)) return true;
    return Object.values((n.fields ?? {}) as Record<string, unknown>).some(linkUses);
  };
  const fieldUses = (node: unknown): boolean => {
    if (!node || typeof node !== 'object') return false;
    const n = node as Record<string, unknown>;
    if (named(n.analyzer)) return true;
    return [...((n.fields ?? []) as unknown[]), ...((n.nested ?? []) as unknown[])].some(fieldUses);
  };
  for (const v of ctx.db.views.values()) {
    for (const link of Object.values((v.props.links ?? {}) as Record<string, unknown>))
      if (linkUses(link)) return true;
  }
  for (const c of ctx.db.collections.values()) {
    for (const r of c.userIndexes) if (r.props.type === 'inverted' && fieldUses(r.props)) return true;
  }
  return false;
}

function view(a: AnalyzerRecord): Record<string, unknown> {
  return { name: a.name, type: a.type, properties: a.properties, features: a.features };
}

function resolve(ctx: Ctx, raw: string): { key: string; builtIn?: AnalyzerRecord } {
  const builtIn = BUILT_IN.find((a) => a.name === raw);
  if (builtIn) return { key: raw, builtIn };
  const [dbPart, name] = raw.includes('::') ? (raw.split('::') as [string, string]) : [ctx.dbName, raw];
  if (dbPart !== ctx.dbName && dbPart !== '') throw errors.forbidden();
  return { key: `${ctx.dbName}::${name}` };
}

export function analyzerRoutes(r: Router): void {
  r.on('GET', '/_api/analyzer', (ctx) =>
    ok({ result: [...BUILT_IN, ...ctx.db.analyzers.values()].map(view) }),
  );

  r.on('POST', '/_api/analyzer', (ctx) => {
    ctx.server.assertAdmin(ctx);
    const b = ctx.object();
    if (typeof b.name !== 'string' || !/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(b.name))
      throw errors.badParameter('invalid analyzer name');
    if (typeof b.type !== 'string') throw errors.badParameter('invalid analyzer type');
    const rec: AnalyzerRecord = {
      name: `${ctx.dbName}::${b.name}`,
      type: b.type,
      properties: (b.properties ?? {}) as Record<string, unknown>,
      features: Array.isArray(b.features) ? (b.features as string[]) : [],
    };
    const existing = ctx.db.analyzers.get(rec.name);
    if (existing) {
      if (JSON.stringify(view(existing)) === JSON.stringify(view(rec))) return json(view(existing), 200);
      throw new SimError(400, 10, 'Name collision detected while registering an arangosearch analyzer');
    }
    ctx.db.analyzers.set(rec.name, rec);
    return json(view(rec), 201);
  });

  r.on('GET', '/_api/analyzer/:name', (ctx, p) => {
    const { key, builtIn } = resolve(ctx, p.name as string);
    const a = builtIn ?? ctx.db.analyzers.get(key);
    if (!a) throw new SimError(404, 1202, `analyzer ${key} not found`);
    return ok({ features: a.features, properties: a.properties, type: a.type, name: a.name });
  });

  r.on('DELETE', '/_api/analyzer/:name', (ctx, p) => {
    ctx.server.assertAdmin(ctx);
    const { key, builtIn } = resolve(ctx, p.name as string);
    if (builtIn) throw errors.forbidden();
    if (ctx.db.analyzers.has(key) && !ctx.flag('force') && inUse(ctx, key)) {
      throw new SimError(409, 1200, `analyzer in use: ${key}`);
    }
    if (!ctx.db.analyzers.delete(key)) throw new SimError(404, 1202, `analyzer ${key} not found`);
    return ok({ name: key });
  });
}
