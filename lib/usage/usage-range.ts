import { AppError } from "../errors/app-error";
import type { UsageGranularity } from "./ingest-usage";
import type { UsagePreset, UsageQuery } from "./usage-schemas";
import { instantOf, localDays } from "./usage-time";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const GRANULARITY_MS: Record<UsageGranularity, number> = { minute: MINUTE, hour: HOUR, day: DAY };
const PRESET_MS: Record<UsagePreset, number> = { "24h": DAY, "7d": 7 * DAY, "30d": 30 * DAY };
/** Longest range a query may cover, and most buckets a series may have. */
export const MAX_RANGE_MS = 400 * DAY;
export const MAX_BUCKETS = 1_500;

export type UsageRange = {
  from: Date;
  to: Date;
  granularity: UsageGranularity;
  /** The tenant's IANA time zone: day buckets are its local days. */
  timeZone: string;
  /** The start of each bucket, oldest first (the last bucket ends at `to`). */
  buckets: Date[];
};

/** The granularity a range gets when none is asked for: up to 6 h by minute, up to 14 days by hour, else by day. */
export function autoGranularity(spanMs: number): UsageGranularity {
  if (spanMs <= 6 * HOUR) return "minute";
  if (spanMs <= 14 * DAY) return "hour";
  return "day";
}

function tooManyBuckets(granularity: UsageGranularity): AppError {
  const message = `At most ${MAX_BUCKETS} ${granularity}s; choose a coarser granularity or a shorter range`;
  return new AppError("validation_failed", `granularity: ${message}`, { fields: { granularity: message } });
}

/**
 * The range a query covers, widened to whole buckets (rollups are counted
 * per bucket: a range cannot cut one): minutes and hours of UTC, days of the
 * tenant's time zone (`timeZone`, as its quota periods), so "today" is the
 * tenant's today. A `from`/`to` without an offset is read in that zone too.
 * Too long a range, or too fine a granularity for it, is a 400 naming the field.
 */
export function resolveUsageRange(
  q: Pick<UsageQuery, "range" | "granularity"> & { from?: string | Date; to?: string | Date },
  now: Date = new Date(),
  timeZone = "UTC",
): UsageRange {
  const to = q.range ? now : q.to ? instantOf(q.to, timeZone) : now;
  const from = q.range ? new Date(now.getTime() - PRESET_MS[q.range]) : q.from ? instantOf(q.from, timeZone) : new Date(to.getTime() - DAY);
  if (from >= to) throw new AppError("validation_failed", "to: to must be after from", { fields: { to: "to must be after from" } });
  const span = to.getTime() - from.getTime();
  if (span > MAX_RANGE_MS) {
    throw new AppError("validation_failed", "from: the range may cover at most 400 days", { fields: { from: "The range may cover at most 400 days" } });
  }
  const granularity = q.granularity ?? autoGranularity(span);
  if (granularity === "day") {
    const days = localDays(from, to, timeZone, MAX_BUCKETS);
    if (days.starts.length > MAX_BUCKETS) throw tooManyBuckets(granularity);
    return { from: days.starts[0]!, to: days.end, granularity, timeZone, buckets: days.starts };
  }
  const size = GRANULARITY_MS[granularity];
  const start = Math.floor(from.getTime() / size) * size;
  const end = Math.max(Math.ceil(to.getTime() / size) * size, start + size);
  if ((end - start) / size > MAX_BUCKETS) throw tooManyBuckets(granularity);
  const buckets: Date[] = [];
  for (let t = start; t < end; t += size) buckets.push(new Date(t));
  return { from: new Date(start), to: new Date(end), granularity, timeZone, buckets };
}
