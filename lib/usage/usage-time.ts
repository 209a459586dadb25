import { offsetAt, periodAt } from "../quotas/period";

const WITH_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/**
 * The instant a usage query's `from`/`to` names: with `Z` or an offset, that
 * instant; without one (`2026-11-01`, `2026-11-01T08:00`), that wall-clock
 * time in `timeZone` (the tenant's), so a day given as a date is the day the
 * tenant's quota counts. `value` has passed usageQuery's ISO 8601 check.
 */
export function instantOf(value: string | Date, timeZone: string): Date {
  if (value instanceof Date) return value;
  if (WITH_ZONE.test(value)) return new Date(value);
  const m = LOCAL.exec(value);
  if (!m) return new Date(value);
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0"] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, "0").slice(0, 3)));
  // As localMidnight does: the offset at the guess, then once more at the candidate (a DST change between them).
  let at = wall - offsetAt(wall, timeZone);
  at = wall - offsetAt(at, timeZone);
  return new Date(at);
}

/**
 * The starts of the tenant's local days that cover [from, to): the first at
 * or before `from`, the last before `to`; and the end of that last day. Days
 * are 23 or 25 hours long across a DST change.
 */
export function localDays(from: Date, to: Date, timeZone: string, max: number): { starts: Date[]; end: Date } {
  const starts: Date[] = [];
  let day = periodAt("day", timeZone, from);
  starts.push(day.startsAt);
  while (day.endsAt < to && starts.length <= max) {
    day = periodAt("day", timeZone, day.endsAt);
    starts.push(day.startsAt);
  }
  return { starts, end: day.endsAt };
}
