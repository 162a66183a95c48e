/** Executes an IndexNode: produces the documents an index lookup would, in index order. */
import type { HostCollection, StoredDoc } from '../host.js';
import type { IndexChoice, IndexCondition } from '../index-selection.js';
import type { ExecContext, Frame } from './context.js';
import { attribute, compileExpr } from './expression.js';
import { compare, equals, valueKey } from './values.js';

type Scan = (f: Frame) => Iterable<StoredDoc>;

function valueAt(doc: StoredDoc, path: string[]): unknown {
  let v: unknown = doc;
  for (const p of path) v = attribute(v, p);
  return v;
}

function matches(op: IndexCondition['op'], actual: unknown, wanted: unknown): boolean {
  switch (op) {
    case '==':
      return equals(actual, wanted);
    case 'in':
      return Array.isArray(wanted) && wanted.some((w) => equals(actual, w));
    case '<':
      return compare(actual, wanted) < 0;
    case '<=':
      return compare(actual, wanted) <= 0;
    case '>':
      return compare(actual, wanted) > 0;
    case '>=':
      return compare(actual, wanted) >= 0;
  }
}

export function indexScan(coll: HostCollection, choice: IndexChoice, ctx: ExecContext): Scan {
  const conds = choice.conditions.map((c) => ({ path: c.path, op: c.op, value: compileExpr(c.value, ctx) }));
  const stats = ctx.stats;
  const { index } = choice;
  const produced = (docs: StoredDoc[]) => {
    stats.scannedIndex += docs.length;
    stats.cursorsCreated++;
    // Secondary index entries point at documents that are then fetched (no covering projections here).
    if (index.type !== 'primary') stats.documentLookups += docs.length;
    return docs;
  };
  const only = conds[0];

  if (index.type === 'primary' && conds.length === 1 && only && (only.op === '==' || only.op === 'in')) {
    return (f) => {
      const wanted = only.value(f);
      const values = only.op === 'in' ? (Array.isArray(wanted) ? wanted : []) : [wanted];
      const keys = [...new Set(values.filter((v): v is string => typeof v === 'string'))].sort();
      const docs: StoredDoc[] = [];
      for (const k of keys) {
        const key = only.path[0] === '_id' ? idToKey(k, coll.name) : k;
        const doc = key === undefined ? undefined : coll.get(key);
        stats.documentLookups++;
        if (doc) docs.push(doc);
      }
      return produced(choice.ascending ? docs : docs.reverse());
    };
  }

  if (index.type === 'edge' && only) {
    const direction = only.path[0] === '_to' ? 'inbound' : 'outbound';
    return (f) => {
      const wanted = only.value(f);
      const values = only.op === 'in' ? (Array.isArray(wanted) ? wanted : []) : [wanted];
      const docs: StoredDoc[] = [];
      for (const v of new Set(values)) {
        if (typeof v === 'string') docs.push(...coll.edges(v, direction));
      }
      return produced(docs);
    };
  }

  const fields = index.type === 'primary' ? [['_key']] : index.fields.map((f) => f.split('.'));
  const leading = fields[0]?.join('.');
  const lookup = conds.findIndex((c) => c.path.join('.') === leading && (c.op === '==' || c.op === 'in'));
  return (f) => {
    const wanted = conds.map((c) => c.value(f));
    const docs: StoredDoc[] = [];
    let candidates: Iterable<StoredDoc> = coll.all();
    if (lookup >= 0 && index.type !== 'primary') {
      const w = wanted[lookup];
      const values = conds[lookup]?.op === 'in' ? (Array.isArray(w) ? w : []) : [w];
      const byValue = equalityLookup(coll, index.id, fields[0] as string[], ctx);
      candidates = [...new Set(values.map(valueKey))].flatMap((k) => byValue.get(k) ?? []);
    }
    for (const doc of candidates) {
      let ok = true;
      for (let i = 0; i < conds.length && ok; i++) {
        const c = conds[i] as (typeof conds)[number];
        ok = matches(c.op, valueAt(doc, c.path), wanted[i]);
      }
      if (ok && index.sparse && fields.some((p) => valueAt(doc, p) === null)) ok = false;
      if (ok) docs.push(doc);
    }
    // Index order: by the indexed fields, then by key, as RocksDB iterates a persistent index.
    docs.sort((a, b) => {
      for (const p of fields) {
        const c = compare(valueAt(a, p), valueAt(b, p));
        if (c !== 0) return c;
      }
      return compare(a._key, b._key);
    });
    return produced(choice.ascending ? docs : docs.reverse());
  };
}

/**
 * Documents by the value of an index's leading field, built once per query: equality lookups inside
 * loops and subqueries then cost a Map access instead of a collection scan.
 */
function equalityLookup(
  coll: HostCollection,
  indexId: string,
  field: string[],
  ctx: ExecContext,
): Map<unknown, StoredDoc[]> {
  let byValue = ctx.indexLookups.get(indexId);
  if (!byValue) {
    byValue = new Map();
    for (const doc of coll.all()) {
      const k = valueKey(valueAt(doc, field));
      const list = byValue.get(k);
      if (list) list.push(doc);
      else byValue.set(k, [doc]);
    }
    ctx.indexLookups.set(indexId, byValue);
  }
  return byValue;
}

function idToKey(id: string, collection: string): string | undefined {
  const slash = id.indexOf('/');
  return slash >= 0 && id.slice(0, slash) === collection ? id.slice(slash + 1) : undefined;
}
