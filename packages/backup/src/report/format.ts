/** Numbers in words a person reads at a glance; every rendering uses these, so they show the same text. */

/** `3 d 4 h`, `5 h 2 min`, `12 min`, `42 s`. */
export function formatAge(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) {
    const minutes = Math.floor((s % 3600) / 60);
    return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
  }
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Durations of runs: two decimals below 10 s, one below a minute, minutes with a decimal below an hour. */
export function formatSeconds(seconds: number): string {
  if (seconds === 0) return '0 s';
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return seconds < 3600 ? `${(seconds / 60).toFixed(1)} min` : formatAge(seconds);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

/** `2026-12-05 02:00 UTC`: reports are read by people in several time zones, so UTC and said so. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `Monday 2026-11-23 to Sunday 2026-11-29 (UTC)` for a week from Monday 00:00 to the next. */
export function formatWeekSpan(from: string, to: string): string {
  const sunday = new Date(Date.parse(to) - 86_400_000).toISOString();
  return `Monday ${from.slice(0, 10)} to Sunday ${sunday.slice(0, 10)} (UTC)`;
}

export const STATUS_WORD = { pass: 'PASS', fail: 'FAIL', skipped: 'skipped', warn: 'WARN' } as const;
