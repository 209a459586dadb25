import type { TxClient } from "../db/client";
import { addSums, COUNTERS, filterSql, sqlArgs, SUMS, type Sums } from "./rollup-sql";
import type { UsageRange } from "./usage-range";
import type { UsageFilter, UsageGrouping } from "./usage-schemas";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * An hour rollup that a local midnight `boundary` cuts (zones 30 or 45
 * minutes off UTC's hours: Asia/Kolkata's midnight is 18:30 UTC, Asia/
 * Kathmandu's 18:15). The hour row is counted in the day that starts at the
 * boundary; its minutes before the boundary, [hour, boundary), are moved back
 * to the day before (today's zones: 15 or 30 minutes; at most 45).
 */
type CutHour = { hour: Date; boundary: Date };

function cutHours(boundaries: readonly Date[]): CutHour[] {
  return boundaries
    .filter((b) => b.getTime() % HOUR_MS !== 0)
    .map((boundary) => ({ hour: new Date(Math.floor(boundary.getTime() / HOUR_MS) * HOUR_MS), boundary }));
}

/**
 * The figures of the tenant's local days when they do not start at UTC
 * midnights (any zone but UTC's), per day and per key or model, in one
 * statement and one pass (GROUPING SETS: per hour, mapped to days here, and
 * per key or model), from rollups only:
 *
 * - every hour rollup of the range, each counted in the day it starts in
 *   (an hour a local midnight cuts: the day after the midnight);
 * - for such a cut hour, the minute rollups before the midnight, summed per
 *   key and model, moved back to the day before (a minus in the day the
 *   hour row counted them, a plus in theirs).
 *
 * So a whole-hour zone (America/Los_Angeles) reads 24 hour rows per day and
 * key/model/status class, a :30/:45 zone at most 45 minute rows more (15 or
 * 30 in today's zones); never raw events. What lands outside [from, to) (the
 * edges' cut hours) counts nowhere.
 */
export async function queryZonedDays(
  tx: TxClient,
  tenantId: string,
  range: UsageRange,
  by: UsageGrouping,
  filter: UsageFilter,
): Promise<{ byDay: Map<number, Sums>; groups: (Sums & { group_id: string })[] }> {
  const days = range.buckets;
  const cuts = cutHours([...days, range.to]);
  const { args, bind } = sqlArgs();
  const tenant = bind(tenantId, "::uuid");
  const counters = COUNTERS.join(", ");
  const hourFrom = new Date(Math.floor(range.from.getTime() / HOUR_MS) * HOUR_MS);
  const hourFilter = filterSql(filter, bind, "r.");
  let rows = `SELECT coalesce(c.boundary, r.bucket_start) AS bucket_at, r.key_id, r.model, ${COUNTERS.map((col) => `r.${col}`).join(", ")}
    FROM usage_rollups r LEFT JOIN cut c ON c.hour = r.bucket_start
    WHERE r.tenant_id = ${tenant} AND r.granularity = 'hour' AND r.bucket_start >= ${bind(hourFrom)} AND r.bucket_start < ${bind(range.to)}${hourFilter}`;
  let cte = `cut(hour, boundary) AS (SELECT * FROM unnest(${bind(cuts.map((c) => c.hour), "::timestamptz[]")}, ${bind(cuts.map((c) => c.boundary), "::timestamptz[]")}))`;
  if (cuts.length) {
    // OFFSET 0: one index range scan per cut hour, never one scan over every minute row of the period.
    cte += `, moved AS (
    SELECT c.hour, c.boundary, m.key_id, m.model, ${COUNTERS.map((col) => `sum(m.${col}) AS ${col}`).join(", ")}
      FROM cut c CROSS JOIN LATERAL (
        SELECT key_id, model, ${counters} FROM usage_rollups
         WHERE tenant_id = ${tenant} AND granularity = 'minute' AND bucket_start >= c.hour AND bucket_start < c.boundary${filterSql(filter, bind)}
        OFFSET 0) m
     GROUP BY 1, 2, 3, 4)`;
    rows += `
    UNION ALL SELECT boundary, key_id, model, ${COUNTERS.map((col) => `-${col}`).join(", ")} FROM moved
    UNION ALL SELECT hour, key_id, model, ${counters} FROM moved`;
  }
  const group = by === "key" ? "key_id::text" : "model";
  // Grouped by the hour (or moved minutes' hour) each row counts at, and mapped to local days here: a width_bucket
  // per row over 10^5 rows costs more than the whole sum.
  const sql = `WITH ${cte}
SELECT bucket_at, group_id, GROUPING(bucket_at) AS per_group, ${SUMS}
  FROM (SELECT bucket_at, ${group} AS group_id, ${counters} FROM (${rows}) r0) r
 WHERE bucket_at >= ${bind(range.from)} AND bucket_at < ${bind(range.to)}
 GROUP BY GROUPING SETS ((bucket_at), (group_id))`;
  const result = await tx.$queryRawUnsafe<(Sums & { bucket_at: Date | null; group_id: string | null; per_group: number })[]>(sql, ...args);
  const byDay = new Map<number, Sums>();
  const groups: (Sums & { group_id: string })[] = [];
  for (const row of result) {
    if (Number(row.per_group) === 1) {
      groups.push({ ...row, group_id: row.group_id ?? "" });
      continue;
    }
    const day = dayIndex(days, row.bucket_at!.getTime());
    const sums = byDay.get(day);
    if (sums) addSums(sums, row);
    else byDay.set(day, { ...row, histogram: [...row.histogram] });
  }
  return { byDay, groups };
}

/** The 1-based index of the day (by its start, ascending) that holds instant `t` (at or after the first start). */
function dayIndex(starts: readonly Date[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]!.getTime() <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
