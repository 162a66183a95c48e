/** ISO 8601 weeks (Monday to Sunday) in UTC: the weekly report's unit. */
import { InputError } from '@arangops/core';

const DAY = 86_400_000;
const WEEK = /^(\d{4})-W(\d{2})$/;

export interface IsoWeek {
  /** `2026-W49` */
  name: string;
  /** Monday 00:00 UTC. */
  from: Date;
  /** The next Monday 00:00 UTC (exclusive). */
  to: Date;
}

/** The ISO week a moment falls in. */
export function isoWeekOf(at: Date): IsoWeek {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  const monday = day - weekday * DAY;
  // The week belongs to the year of its Thursday.
  const thursday = new Date(monday + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const number = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return {
    name: `${year}-W${String(number).padStart(2, '0')}`,
    from: new Date(monday),
    to: new Date(monday + 7 * DAY),
  };
}

/** `2026-W49` → that week; an InputError naming the flag otherwise. */
export function parseIsoWeek(text: string, field = '--week'): IsoWeek {
  const match = WEEK.exec(text);
  const year = Number(match?.[1]);
  const number = Number(match?.[2]);
  if (!match || number < 1 || number > 53) {
    throw new InputError(`not an ISO week: "${text}" (expected e.g. 2026-W49)`, { field });
  }
  // 4 January is always in week 1.
  const week = isoWeekOf(new Date(Date.UTC(year, 0, 4) + (number - 1) * 7 * DAY));
  if (week.name !== text) throw new InputError(`${year} has no week ${number}`, { field });
  return week;
}

/** The last week that has ended: what a weekly report read on Monday morning is about. */
export function lastCompleteWeek(now: Date): IsoWeek {
  return isoWeekOf(new Date(isoWeekOf(now).from.getTime() - DAY));
}

/** `count` weeks ending with `week`, oldest first. */
export function weeksEndingWith(week: IsoWeek, count: number): IsoWeek[] {
  return Array.from({ length: count }, (_, i) =>
    isoWeekOf(new Date(week.from.getTime() - (count - 1 - i) * 7 * DAY)),
  );
}
