/** Small helpers for comparing and printing JSON values independent of key order. */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A copy with object keys sorted at every level, so printing and comparing are deterministic. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    if (value[k] !== undefined) out[k] = sortKeys(value[k]);
  }
  return out as T;
}

export function stableStringify(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

/**
 * True when every key the declaration sets has the same value live; keys only
 * the server reports (defaults that change between patch releases) are ignored.
 * Arrays must have the same length and match element by element.
 */
export function subsetEqual(declared: unknown, live: unknown): boolean {
  if (Array.isArray(declared)) {
    return (
      Array.isArray(live) &&
      declared.length === live.length &&
      declared.every((d, i) => subsetEqual(d, live[i]))
    );
  }
  if (isPlainObject(declared)) {
    return isPlainObject(live) && Object.keys(declared).every((k) => subsetEqual(declared[k], live[k]));
  }
  return declared === live;
}

/** The plain objects of a list the server sent (anything else in it is skipped). */
export function listOf(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}
