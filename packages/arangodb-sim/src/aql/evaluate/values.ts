/** AQL value semantics: type order, comparison, truthiness and the implicit conversions. */

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** null < bool < number < string < array < object, the order every AQL comparison starts from. */
export function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
      return 2;
    case 'string':
      return 3;
    default:
      return Array.isArray(v) ? 4 : 5;
  }
}

export function compare(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 4: {
      const x = a as unknown[];
      const y = b as unknown[];
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i] ?? null, y[i] ?? null);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const x = a as Obj;
      const y = b as Obj;
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (const k of keys) {
        const c = compare(x[k] ?? null, y[k] ?? null);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}

export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const t = typeof a;
  if (t !== 'object' || typeof b !== 'object') return (a ?? null) === (b ?? null);
  return compare(a, b) === 0;
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0 && !Number.isNaN(v);
    case 'string':
      return v.length > 0;
    default:
      return true;
  }
}

/** TO_NUMBER: what arithmetic applies to its operands. */
export function toNumber(v: unknown): number {
  if (v === null || v === undefined || v === false) return 0;
  if (v === true) return 1;
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return 0;
    const n = Number(s);
    return Number.isFinite(n) ? n : 0;
  }
  if (Array.isArray(v)) return v.length === 0 ? 0 : v.length === 1 ? toNumber(v[0]) : 0;
  return 0;
}

/** Numbers that are not finite surface as null in AQL. */
export function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** TO_STRING. */
export function toStr(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function toBool(v: unknown): boolean {
  return truthy(v);
}

export function toArray(v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  return [v];
}

export function typeName(v: unknown): string {
  return ['null', 'bool', 'number', 'string', 'array', 'object'][typeRank(v)] as string;
}

/**
 * A Map key under which AQL-equal values collide: primitives stand for themselves, arrays and objects
 * become canonical JSON (object keys sorted) behind a prefix no string value starts with.
 */
export function valueKey(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? `\u0000${canonical(v)}` : (v ?? null);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}
