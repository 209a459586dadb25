import type { TxClient } from "../db/client";
import { LATENCY_COLUMNS, latencyPercentile } from "./latency-histogram";
import { GRANULARITY_MS, type UsageRange } from "./usage-range";
import {
  usageReportOutput,
  type UsageGrouping,
  type UsagePoint,
  type UsageReport,
  type UsageRow,
  type UsageTotals,
} from "./usage-schemas";

/** Sums of one group of rollup rows, as read from Postgres (float8: JS numbers). */
type Sums = {
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  latency_ms_sum: number;
  histogram: number[];
};

const SUMS = `sum(requests)::float8 AS requests, sum(errors)::float8 AS errors,
  sum(prompt_tokens)::float8 AS prompt_tokens, sum(completion_tokens)::float8 AS completion_tokens,
  sum(total_tokens)::float8 AS total_tokens, sum(latency_ms_sum)::float8 AS latency_ms_sum,
  ARRAY[${LATENCY_COLUMNS.map((c) => `sum(${c})::float8`).join(", ")}] AS histogram`;

/** Rollups of one granularity over [from, to): the (tenant_id, granularity, bucket_start) prefix of usage_rollups_bucket_key. */
const WHERE = "tenant_id = $1::uuid AND granularity = $2 AND bucket_start >= $3 AND bucket_start < $4";

const SERIES_SQL = `SELECT bucket_start, ${SUMS} FROM usage_rollups WHERE ${WHERE} GROUP BY bucket_start ORDER BY bucket_start`;
const BY_KEY_SQL = `SELECT key_id::text AS group_id, ${SUMS} FROM usage_rollups WHERE ${WHERE} GROUP BY key_id`;
const BY_MODEL_SQL = `SELECT model AS group_id, ${SUMS} FROM usage_rollups WHERE ${WHERE} GROUP BY model`;

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

function addInto(total: Sums, s: Sums): void {
  total.requests += s.requests;
  total.errors += s.errors;
  total.prompt_tokens += s.prompt_tokens;
  total.completion_tokens += s.completion_tokens;
  total.total_tokens += s.total_tokens;
  total.latency_ms_sum += s.latency_ms_sum;
  s.histogram.forEach((n, i) => (total.histogram[i] = (total.histogram[i] ?? 0) + n));
}

const emptySums = (): Sums => ({ requests: 0, errors: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, latency_ms_sum: 0, histogram: LATENCY_COLUMNS.map(() => 0) });

/**
 * A tenant's usage over a range, from the rollups alone (never the raw
 * events): totals, a series with one point per bucket (empty buckets are
 * zeros), and rows by key or by model, busiest first. Call inside withTenant.
 */
export async function queryUsage(tx: TxClient, tenantId: string, range: UsageRange, by: UsageGrouping): Promise<UsageReport> {
  const args = [tenantId, range.granularity, range.from, range.to] as const;
  const series = await tx.$queryRawUnsafe<(Sums & { bucket_start: Date })[]>(SERIES_SQL, ...args);
  const groups = await tx.$queryRawUnsafe<(Sums & { group_id: string })[]>(by === "key" ? BY_KEY_SQL : BY_MODEL_SQL, ...args);

  const total = emptySums();
  const byBucket = new Map<number, Sums>();
  for (const point of series) {
    addInto(total, point);
    byBucket.set(point.bucket_start.getTime(), point);
  }
  const points: UsagePoint[] = [];
  const step = GRANULARITY_MS[range.granularity];
  for (let t = range.from.getTime(); t < range.to.getTime(); t += step) {
    points.push({ bucketStart: new Date(t).toISOString(), ...figures(byBucket.get(t)) });
  }

  let names = new Map<string, string>();
  if (by === "key" && groups.length) {
    const keys = await tx.apiKey.findMany({ where: { tenantId, id: { in: groups.map((g) => g.group_id) } }, select: { id: true, name: true } });
    names = new Map(keys.map((k) => [k.id, k.name]));
  }
  const rows: UsageRow[] = groups
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
    by,
    totals: figures(total),
    series: points,
    rows,
  });
}
