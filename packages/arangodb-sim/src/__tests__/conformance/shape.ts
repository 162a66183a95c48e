/**
 * Structural comparison of a recorded body and a simulated one: keys and value types recursively.
 * Ids, revisions, timestamps and counts may differ; objects keyed by data (ids, collection names…)
 * are compared by the shapes of the entries both sides have.
 */

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Paths (dot-joined, `*` for any key/index) whose object keys are data, not schema. */
const MAP_PATHS = [
  /^identifiers$/,
  /^result\.[^.]+\.collections$/,
  /^links$/,
  /^links\.[^.]+\.fields$/,
  /^Health$/,
  /^shards$/,
  /^result$/,
];

/** Subtrees owned by the AQL engine's plan/AST output: compare one level of keys only. */
const SHALLOW_PATHS = [
  /^plan$/,
  /^plans\.\d+$/,
  /^ast$/,
  /^extra\.plan$/,
  /^extra\.stats\.nodes$/,
  /^extra\.profile$/,
];

function isMapLike(path: string, rec: Record<string, unknown>): boolean {
  if (!MAP_PATHS.some((re) => re.test(path))) return false;
  // `result` is a map only in user permission answers ({"_system": "rw"} / full form).
  if (path === 'result')
    return (
      Object.keys(rec).every((k) => k === '*' || k.startsWith('_') || /^[a-z0-9_-]+$/i.test(k)) &&
      Object.values(rec).every(
        (v) =>
          typeof v === 'string' || (v !== null && typeof v === 'object' && 'permission' in (v as object)),
      )
    );
  return true;
}

export function compareShape(recorded: unknown, actual: unknown, path = '', out: string[] = []): string[] {
  const where = path || '<root>';
  const rk = kind(recorded);
  const ak = kind(actual);
  if (rk !== ak) {
    out.push(`${where}: expected ${rk}, got ${ak}`);
    return out;
  }
  if (SHALLOW_PATHS.some((re) => re.test(path))) {
    if (rk === 'object') {
      const missing = Object.keys(recorded as object).filter((k) => !(k in (actual as object)));
      if (missing.length) out.push(`${where}: missing keys ${missing.join(',')}`);
    }
    return out;
  }
  if (rk === 'array') {
    const r = recorded as unknown[];
    const a = actual as unknown[];
    if (r.length === 0) return out;
    if (a.length === 0) {
      out.push(`${where}: expected a non-empty array`);
      return out;
    }
    if (r.length === a.length) {
      const pairwise: string[] = [];
      r.forEach((item, i) => {
        compareShape(item, a[i], `${path}.${i}`.replace(/^\./, ''), pairwise);
      });
      if (pairwise.length === 0) return out;
    }
    // Counts and order may differ: every element must look like some recorded element.
    a.forEach((item, i) => {
      const fits = r.some((ri) => compareShape(ri, item, `${path}.${i}`.replace(/^\./, '')).length === 0);
      if (!fits) compareShape(r[0], item, `${path}.${i}`.replace(/^\./, ''), out);
    });
    return out;
  }
  if (rk === 'object') {
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const map = isMapLike(path, r);
    if (!map) {
      const missing = Object.keys(r).filter((k) => !(k in a));
      const extra = Object.keys(a).filter((k) => !(k in r));
      if (missing.length) out.push(`${where}: missing keys ${missing.join(',')}`);
      if (extra.length) out.push(`${where}: unexpected keys ${extra.join(',')}`);
      if (
        !missing.length &&
        !extra.length &&
        !SHALLOW_PATHS.some((re) => re.test(path)) &&
        Object.keys(r).join() !== Object.keys(a).join()
      ) {
        out.push(`${where}: key order ${Object.keys(a).join(',')}, recorded ${Object.keys(r).join(',')}`);
      }
    }
    for (const k of Object.keys(r)) {
      if (!(k in a)) continue;
      compareShape(r[k], a[k], `${path}.${k}`.replace(/^\./, ''), out);
    }
  }
  return out;
}
