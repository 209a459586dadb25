/**
 * Quota periods: a calendar day or month in the tenant's IANA time zone.
 * A period is named by its key (`2026-11-26` for a day, `2026-11` for a
 * month, local dates), and counters are keyed by it, so a new period starts
 * at zero by construction: nothing has to be reset.
 */
export type PeriodKind = "day" | "month";

export type Period = {
  kind: PeriodKind;
  /** `YYYY-MM-DD` or `YYYY-MM`, in the tenant's time zone. */
  key: string;
  startsAt: Date;
  endsAt: Date;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function localParts(at: Date, timeZone: string): Parts {
  const out: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out as Parts;
}

/** Milliseconds the zone is ahead of UTC at instant `ms`. */
export function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(new Date(ms), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant local midnight of (year, month, day) happens in `timeZone` (month may overflow: 13 → next January). */
export function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  let at = guess - offsetAt(guess, timeZone);
  // Once more at the candidate: the offset may differ there (DST change between guess and result).
  at = guess - offsetAt(at, timeZone);
  return new Date(at);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The period containing instant `at` in `timeZone`. */
export function periodAt(kind: PeriodKind, timeZone: string, at: Date): Period {
  const p = localParts(at, timeZone);
  if (kind === "month") {
    return {
      kind,
      key: `${pad(p.year, 4)}-${pad(p.month)}`,
      startsAt: localMidnight(p.year, p.month, 1, timeZone),
      endsAt: localMidnight(p.year, p.month + 1, 1, timeZone),
    };
  }
  return {
    kind,
    key: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`,
    startsAt: localMidnight(p.year, p.month, p.day, timeZone),
    endsAt: localMidnight(p.year, p.month, p.day + 1, timeZone),
  };
}

/** The period just before the one containing `at`. */
export function previousPeriod(kind: PeriodKind, timeZone: string, at: Date): Period {
  const current = periodAt(kind, timeZone, at);
  return periodAt(kind, timeZone, new Date(current.startsAt.getTime() - 1));
}

/** Whole seconds from `at` to the period's end (at least 1): the `Retry-After` of a hard quota. */
export function secondsUntilEnd(period: Period, at: Date): number {
  return Math.max(1, Math.ceil((period.endsAt.getTime() - at.getTime()) / 1000));
}
