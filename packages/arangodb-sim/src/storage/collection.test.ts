import { describe, expect, it } from 'vitest';
import { SimError } from '../aql/host.js';
import { Instance } from '../instance.js';
import { parseVersion } from '../version.js';
import { normaliseIndex } from './indexes.js';

function setup(now = { t: Date.parse('2026-01-01T00:00:00Z') }) {
  const inst = new Instance(parseVersion('3.12.10'), 'single', () => now.t, false, 8529);
  const db = inst.databases.get('_system');
  if (!db) throw new Error('no _system');
  const make = (req: Record<string, unknown>) => db.addCollection(inst.collectionProps(req, db.options));
  const index = (c: ReturnType<typeof make>, req: Record<string, unknown>) =>
    c.ensureIndex(
      normaliseIndex(req, inst.version, false, () => inst.ids.indexName()),
      typeof req.name === 'string' ? req.name : undefined,
      () => String(inst.ids.tick()),
    );
  return { inst, db, make, index, now };
}

function errorOf(fn: () => unknown): SimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SimError) return e;
    throw e;
  }
  throw new Error('expected a SimError');
}

describe('collection storage', () => {
  it('generates keys per key generator and tracks lastValue', () => {
    const { make } = setup();
    const auto = make({ name: 'auto', keyOptions: { type: 'autoincrement', increment: 5, offset: 10 } });
    expect([auto.insert({}).new._key, auto.insert({}).new._key]).toEqual(['10', '15']);
    expect(auto.props.keyOptions.lastValue).toBe(15);
    const padded = make({ name: 'padded', keyOptions: { type: 'padded' } });
    expect(padded.insert({}).new._key).toMatch(/^[0-9a-f]{16}$/);
    const noUser = make({ name: 'nouser', keyOptions: { allowUserKeys: false } });
    expect(errorOf(() => noUser.insert({ _key: 'x' })).errorNum).toBe(1222);
    expect(errorOf(() => auto.insert({ _key: 'bad key' })).errorNum).toBe(1221);
  });

  it('enforces unique indexes, honouring sparse, with the real message', () => {
    const { make, index } = setup();
    const c = make({ name: 'users' });
    index(c, { type: 'persistent', fields: ['email'], unique: true, sparse: true, name: 'by_email' });
    c.insert({ _key: 'a', email: 'x@y' });
    c.insert({ _key: 'b' });
    c.insert({ _key: 'c' });
    const e = errorOf(() => c.insert({ email: 'x@y' }));
    expect(e).toMatchObject({ code: 409, errorNum: 1210 });
    expect(e.message).toBe(
      "unique constraint violated - in index by_email of type persistent over 'email'; conflicting key: a",
    );
    c.update('a', { email: 'z@y' });
    expect(c.insert({ email: 'x@y' }).new.email).toBe('x@y');
  });

  it('applies overwriteMode, keepNull and mergeObjects', () => {
    const { make } = setup();
    const c = make({ name: 'docs' });
    c.insert({ _key: 'k', a: { x: 1, y: 2 }, b: 1 });
    expect(c.insert({ _key: 'k', z: 1 }, { overwriteMode: 'ignore' }).new).toMatchObject({
      a: { x: 1, y: 2 },
    });
    c.insert({ _key: 'k', a: { y: null, w: 3 } }, { overwriteMode: 'update', keepNull: false });
    expect(c.get('k')).toMatchObject({ a: { x: 1, w: 3 }, b: 1 });
    c.update('k', { a: { only: true } }, { mergeObjects: false });
    expect(c.get('k')?.a).toEqual({ only: true });
    c.insert({ _key: 'k', fresh: true }, { overwriteMode: 'replace' });
    expect(Object.keys(c.get('k') ?? {})).toEqual(['_key', '_id', '_rev', 'fresh']);
    expect(errorOf(() => c.insert({ _key: 'k' })).errorNum).toBe(1210);
  });

  it('validates the JSON-Schema rule per level', () => {
    const { make } = setup();
    const rule = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    const strict = make({ name: 'strict', schema: { rule, level: 'strict', message: 'n must be a number' } });
    const e = errorOf(() => strict.insert({ n: 'x' }));
    expect(e).toMatchObject({ code: 400, errorNum: 1620, message: 'n must be a number' });
    const moderate = make({ name: 'moderate' });
    moderate.insert({ _key: 'legacy', n: 'old' });
    moderate.props.schema = make({ name: 'tmp', schema: { rule, level: 'moderate' } }).props.schema;
    expect(moderate.update('legacy', { other: 1 }).new.other).toBe(1);
    expect(errorOf(() => moderate.insert({ n: 'x' })).errorNum).toBe(1620);
    const onlyNew = make({ name: 'onlynew', schema: { rule, level: 'new' } });
    onlyNew.insert({ _key: 'ok', n: 1 });
    expect(onlyNew.update('ok', { n: 'anything' }).new.n).toBe('anything');
  });

  it('indexes edges by _from and _to and rejects invalid handles', () => {
    const { make } = setup();
    const e = make({ name: 'links', type: 3 });
    e.insert({ _from: 'v/a', _to: 'v/b' });
    e.insert({ _from: 'v/a', _to: 'v/c' });
    expect([...e.edges('v/a', 'outbound')].map((d) => d._to)).toEqual(['v/b', 'v/c']);
    expect([...e.edges('v/c', 'inbound')].length).toBe(1);
    expect(errorOf(() => e.insert({ _from: 'nope' })).errorNum).toBe(1233);
    const first = [...e.edges('v/a', 'outbound')][0];
    if (first) e.remove(first._key);
    expect([...e.edges('v/a', 'outbound')].length).toBe(1);
  });

  it('expires documents through the TTL index (ISO strings and Unix seconds)', () => {
    const { make, index, inst, now } = setup();
    const c = make({ name: 'sessions' });
    index(c, { type: 'ttl', fields: ['expiresAt'], expireAfter: 0 });
    const t = now.t;
    c.insert({ _key: 'iso-past', expiresAt: new Date(t - 1000).toISOString() });
    c.insert({ _key: 'iso-future', expiresAt: new Date(t + 60_000).toISOString() });
    c.insert({ _key: 'secs-past', expiresAt: t / 1000 - 5 });
    c.insert({ _key: 'garbage', expiresAt: 'not a date' });
    c.insert({ _key: 'missing' });
    expect(inst.runTtl()).toBe(2);
    expect([...c.docs.keys()].sort()).toEqual(['garbage', 'iso-future', 'missing']);
    now.t += 120_000;
    expect(inst.runTtl()).toBe(1);
    expect(errorOf(() => index(c, { type: 'ttl', fields: ['other'], expireAfter: 5 })).errorNum).toBe(10);
    expect(index(c, { type: 'ttl', fields: ['expiresAt'], expireAfter: 0 }).created).toBe(false);
  });

  it('fails building a unique index over duplicates', () => {
    const { make, index } = setup();
    const c = make({ name: 'dups' });
    c.insert({ v: 1 });
    c.insert({ v: 1 });
    expect(errorOf(() => index(c, { type: 'persistent', fields: ['v'], unique: true })).errorNum).toBe(1210);
    expect(c.userIndexes).toHaveLength(0);
  });
});
