import type { TxClient } from "../db/client";
import { AppError } from "../errors/app-error";
import type { UsageGranularity } from "./ingest-usage";
import { LATENCY_COLUMNS, latencyPercentile } from "./latency-histogram";
import { addSums, COUNTERS, filterSql, sqlArgs, SUMS, type Sums } from "./rollup-sql";
import type { UsageRange } from "./usage-range";
import {
  usageReportOutput,
  type UsageFilter,
  type UsageGrouping,
  type UsagePoint,
  type UsageReport,
  type UsageRow,
  type UsageTotals,
} from "./usage-schemas";
import { queryZonedDays } from "./zoned-days";

const DAY_MS = 86_400_000;

/** The columns a plain source yields. */
const COLUMNS = `bucket_start, key_id, model, ${COUNTERS.join(", ")}`;

/**
 * Rollup rows of one granularity over [from, to), through the
 * (tenant_id, granularity, bucket_start, key_id, model, ...) prefix of usage_rollups_bucket_key.
 */
function plainSource(tenantId: string, granularity: UsageGranularity, from: Date, to: Date, filter: UsageFilter) {
  const { args, bind } = sqlArgs();
  const where = `tenant_id = ${bind(tenantId, "::uuid")} AND granularity = ${bind(granularity)} AND bucket_start >= ${bind(from)} AND bucket_start < ${bind(to)}`;
  return { sql: `SELECT ${COLUMNS} FROM usage_rollups WHERE ${where}${filterSql(filter, bind)}`, args };
}

/**
 * Per bucket and per key or model: from the rollups of the range's own
 * granularity (minutes, hours, or days when the tenant's days are UTC's),
 * else (local days of any other zone) through queryZonedDays. Buckets are
 * keyed by their start, or by the 1-based index of a local day.
 */
async function sums(tx: TxClient, tenantId: string, range: UsageRange, by: UsageGrouping, filter: UsageFilter) {
  const utcDays = range.granularity === "day" && [...range.buckets, range.to].every((d) => d.getTime() % DAY_MS === 0);
  if (range.granularity === "day" && !utcDays) return queryZonedDays(tx, tenantId, range, by, filter);
  const source = plainSource(tenantId, range.granularity, range.from, range.to, filter);
  const series = await tx.$queryRawUnsafe<(Sums & { bucket_start: Date })[]>(
    `SELECT bucket_start, ${SUMS} FROM (${source.sql}) r GROUP BY bucket_start ORDER BY bucket_start`,
    ...source.args,
  );
  const groups = await tx.$queryRawUnsafe<(Sums & { group_id: string })[]>(
    `SELECT ${by === "key" ? "key_id::text" : "model"} AS group_id, ${SUMS} FROM (${source.sql}) r GROUP BY 1`,
    ...source.args,
  );
  const index = new Map(range.buckets.map((b, i) => [b.getTime(), i + 1]));
  return { byDay: new Map(series.map((p) => [index.get(p.bucket_start.getTime()) ?? 0, p] as const)), groups };
}

function figures(s: Sums | undefined): UsageTotals {
  if (!s || !s.requests) {
    return { requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, avgLatencyMs: null, p50LatencyMs: null, p95LatencyMs: null };
  }
  return {
    requests: s.requests,
    errors: s.errors,
    promptTokens: s.prompt_tokens,
    completionTokens: s.completion_tokens,
    totalTokens: s.total_tokens,
    avgLatencyMs: Math.round((s.latency_ms_sum / s.requests) * 10) / 10,
    p50LatencyMs: latencyPercentile(s.histogram, 0.5),
    p95LatencyMs: latencyPercentile(s.histogram, 0.95),
  };
}

const emptySums = (): Sums => ({ requests: 0, errors: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, latency_ms_sum: 0, histogram: LATENCY_COLUMNS.map(() => 0) });

/** The key `keyId` names in this tenant; another tenant's key is as unknown as one that never existed (RLS and the tenant filter). */
export async function keyOfTenant(tx: TxClient, tenantId: string, keyId: string): Promise<{ id: string; name: string }> {
  const key = await tx.apiKey.findFirst({ where: { id: keyId, tenantId }, select: { id: true, name: true } });
  if (!key) throw new AppError("not_found", "No API key with this id in this tenant");
  return key;
}

/**
 * A tenant's usage over a range, from the rollups alone (never the raw
 * events): totals, a series with one point per bucket (empty buckets are
 * zeros), and rows by key or by model, busiest first; optionally only one
 * key's and/or one model's requests. A key id that is not one of the
 * tenant's keys is a 404 `not_found`; a model name without usage is zeros
 * (models come and go; their usage stays). Call inside withTenant.
 */
export async function queryUsage(
  tx: TxClient,
  tenantId: string,
  range: UsageRange,
  by: UsageGrouping,
  filter: UsageFilter = { keyId: null, model: null },
): Promise<UsageReport> {
  const key = filter.keyId ? await keyOfTenant(tx, tenantId, filter.keyId) : null;
  // Sums over at most some 10^5 rollup rows: compiling them (JIT, which Postgres turns on by cost estimate) costs
  // hundreds of milliseconds and saves a few. For this transaction only.
  await tx.$executeRawUnsafe("SET LOCAL jit = off");
  const { byDay: byBucket, groups } = await sums(tx, tenantId, range, by, filter);
  const total = emptySums();
  for (const point of byBucket.values()) addSums(total, point);
  const points: UsagePoint[] = range.buckets.map((start, i) => ({ bucketStart: start.toISOString(), ...figures(byBucket.get(i + 1)) }));

  let names = new Map<string, string>();
  if (by === "key" && groups.length) {
    const keys = await tx.apiKey.findMany({ where: { tenantId, id: { in: groups.map((g) => g.group_id) } }, select: { id: true, name: true } });
    names = new Map(keys.map((k) => [k.id, k.name]));
  }
  const rows: UsageRow[] = groups
    // A local day's edge can net a group to nothing (minutes moved out of the range).
    .filter((g) => g.requests > 0)
    .map((g) => ({
      keyId: by === "key" ? g.group_id : null,
      keyName: by === "key" ? (names.get(g.group_id) ?? null) : null,
      model: by === "model" ? g.group_id : null,
      ...figures(g),
    }))
    .sort((a, b) => b.requests - a.requests || String(a.keyName ?? a.model).localeCompare(String(b.keyName ?? b.model)));

  return usageReportOutput.parse({
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    granularity: range.granularity,
    timeZone: range.timeZone,
    by,
    filter: { keyId: key?.id ?? null, keyName: key?.name ?? null, model: filter.model },
    totals: figures(total),
    series: points,
    rows,
  });
}
