/** Date functions. AQL dates are Unix-epoch milliseconds or ISO 8601 strings; results are ISO strings in UTC. */
import { toNumber, toStr, truthy } from '../evaluate/values.js';
import { type FunctionContext, type FunctionTable, invalidArg } from './registry.js';

const ISO_DATE =
  /^[+-]?\d{4,6}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function isDateString(v: unknown): boolean {
  return typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(normalize(v)));
}

/** `2024-01-01 10:00` is accepted by AQL; JavaScript wants the `T`, and a date-time without zone is UTC in AQL. */
function normalize(s: string): string {
  const t = s.replace(' ', 'T');
  return /T/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/.test(t) ? `${t}Z` : t;
}

function toMillis(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && ISO_DATE.test(v)) {
    const ms = Date.parse(normalize(v));
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

type Unit = 'y' | 'm' | 'w' | 'd' | 'h' | 'i' | 's' | 'f';

const UNIT_ALIASES: Record<string, Unit> = {
  y: 'y',
  year: 'y',
  years: 'y',
  m: 'm',
  month: 'm',
  months: 'm',
  w: 'w',
  week: 'w',
  weeks: 'w',
  d: 'd',
  day: 'd',
  days: 'd',
  h: 'h',
  hour: 'h',
  hours: 'h',
  i: 'i',
  minute: 'i',
  minutes: 'i',
  s: 's',
  second: 's',
  seconds: 's',
  f: 'f',
  millisecond: 'f',
  milliseconds: 'f',
};

const UNIT_MS: Record<Exclude<Unit, 'y' | 'm'>, number> = {
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  i: 60_000,
  s: 1000,
  f: 1,
};

function unitOf(v: unknown): Unit | undefined {
  return UNIT_ALIASES[toStr(v).toLowerCase()];
}

function addUnit(ms: number, amount: number, unit: Unit): number {
  if (unit === 'y' || unit === 'm') {
    const d = new Date(ms);
    d.setUTCMonth(d.getUTCMonth() + Math.trunc(amount) * (unit === 'y' ? 12 : 1));
    return d.getTime();
  }
  return ms + amount * UNIT_MS[unit];
}

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

function addDuration(ms: number, duration: string, sign: 1 | -1): number | undefined {
  const m = ISO_DURATION.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return undefined;
  const units: Unit[] = ['y', 'm', 'w', 'd', 'h', 'i', 's'];
  let out = ms;
  units.forEach((u, i) => {
    const part = m[i + 1];
    if (part !== undefined) out = addUnit(out, sign * Number(part), u);
  });
  return out;
}

function shift(name: string, sign: 1 | -1) {
  return {
    min: 2,
    max: 3,
    fn: ([date, amount, unit]: unknown[], ctx: FunctionContext) => {
      const ms = toMillis(date);
      if (ms === undefined) return invalidArg(ctx, name);
      let out: number | undefined;
      if (unit === undefined && typeof amount === 'string') out = addDuration(ms, amount, sign);
      else {
        const u = unitOf(unit);
        out = u === undefined ? undefined : addUnit(ms, sign * toNumber(amount), u);
      }
      return out === undefined ? invalidArg(ctx, name) : new Date(out).toISOString();
    },
  };
}

function monthsBetween(a: number, b: number): number {
  const da = new Date(a);
  const db = new Date(b);
  let months = (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + (db.getUTCMonth() - da.getUTCMonth());
  // A month only counts once the same day-of-month and time has been reached.
  const anchor = addUnit(a, months, 'm');
  if (months > 0 && anchor > b) months--;
  if (months < 0 && anchor < b) months++;
  const base = addUnit(a, months, 'm');
  const next = addUnit(a, months + Math.sign(b - a || 1), 'm');
  return months + (next === base ? 0 : (b - base) / Math.abs(next - base));
}

/** DATE_YEAR(date) and friends: one UTC component of a date. */
function part(name: string, get: (d: Date) => number) {
  return {
    min: 1,
    max: 1,
    fn: ([date]: unknown[], ctx: FunctionContext) => {
      const ms = toMillis(date);
      return ms === undefined ? invalidArg(ctx, name) : get(new Date(ms));
    },
  };
}

export const dateFunctions: FunctionTable = {
  DATE_YEAR: part('DATE_YEAR', (d) => d.getUTCFullYear()),
  DATE_MONTH: part('DATE_MONTH', (d) => d.getUTCMonth() + 1),
  DATE_DAY: part('DATE_DAY', (d) => d.getUTCDate()),
  DATE_HOUR: part('DATE_HOUR', (d) => d.getUTCHours()),
  DATE_MINUTE: part('DATE_MINUTE', (d) => d.getUTCMinutes()),
  DATE_SECOND: part('DATE_SECOND', (d) => d.getUTCSeconds()),
  DATE_MILLISECOND: part('DATE_MILLISECOND', (d) => d.getUTCMilliseconds()),
  DATE_DAYOFWEEK: part('DATE_DAYOFWEEK', (d) => d.getUTCDay()),
  DATE_NOW: { min: 0, max: 0, fn: (_args, ctx) => ctx.now() },
  DATE_ISO8601: {
    min: 1,
    max: 7,
    fn: (args, ctx) => {
      let ms: number | undefined;
      if (args.length === 1) ms = toMillis(args[0]);
      else {
        const [y, mo, d, h, mi, s, f] = args.map((a) => toNumber(a));
        ms = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0, f ?? 0);
      }
      return ms === undefined ? invalidArg(ctx, 'DATE_ISO8601') : new Date(ms).toISOString();
    },
  },
  DATE_TIMESTAMP: {
    min: 1,
    max: 7,
    fn: (args, ctx) => {
      if (args.length > 1) {
        const [y, mo, d, h, mi, s, f] = args.map((a) => toNumber(a));
        return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0, f ?? 0);
      }
      return toMillis(args[0]) ?? invalidArg(ctx, 'DATE_TIMESTAMP');
    },
  },
  DATE_ADD: shift('DATE_ADD', 1),
  DATE_SUBTRACT: shift('DATE_SUBTRACT', -1),
  DATE_DIFF: {
    min: 3,
    max: 6,
    fn: ([a, b, unit, asFloat], ctx) => {
      const x = toMillis(a);
      const y = toMillis(b);
      const u = unitOf(unit);
      if (x === undefined || y === undefined) return invalidArg(ctx, 'DATE_DIFF');
      if (u === undefined) return invalidArg(ctx, 'DATE_DIFF');
      let diff: number;
      if (u === 'm') diff = monthsBetween(x, y);
      else if (u === 'y') diff = monthsBetween(x, y) / 12;
      else diff = (y - x) / UNIT_MS[u];
      return truthy(asFloat) ? diff : Math.trunc(diff);
    },
  },
};
