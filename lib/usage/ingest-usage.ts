import type { TxClient } from "../db/client";
import { LATENCY_BOUNDS_MS, LATENCY_COLUMNS } from "./latency-histogram";
import type { UsageRecord } from "./usage-record";

export const USAGE_GRANULARITIES = ["minute", "hour", "day"] as const;
export type UsageGranularity = (typeof USAGE_GRANULARITIES)[number];

/** Postgres text holds no NUL; a client-chosen model name may. Long names are cut. */
function cleanText(value: string | undefined, max: number): string | null {
  if (value === undefined) return null;
  const text = value.replaceAll("\0", "").slice(0, max);
  return text === "" ? null : text;
}

const INT4_MAX = 2_147_483_647;
const clampInt = (n: number | undefined) => (n === undefined ? null : Math.min(INT4_MAX, Math.max(0, Math.round(n))));

const EARLIEST = Date.parse("2000-01-01T00:00:00Z");

/** When the request finished; a time no clock could have given (or past tomorrow) becomes the time it is stored. */
function occurredAt(at: number, now: number): string {
  return new Date(Number.isFinite(at) && at >= EARLIEST && at <= now + 86_400_000 ? at : now).toISOString();
}

/**
 * One event row as the batch statement reads it (jsonb_to_recordset). Every
 * value is brought into its column's range here: a record Postgres would
 * refuse would fail its whole tenant batch on every redelivery.
 */
function eventRow(r: UsageRecord, now: number) {
  const prompt = clampInt(r.promptTokens);
  const completion = clampInt(r.completionTokens);
  const total = clampInt(r.totalTokens) ?? (prompt === null && completion === null ? null : Math.min(INT4_MAX, (prompt ?? 0) + (completion ?? 0)));
  return {
    request_id: cleanText(r.requestId, 200) ?? "-",
    key_id: r.keyId,
    route: cleanText(r.route, 100) ?? "-",
    model: cleanText(r.model, 200),
    status: Math.min(999, Math.max(0, r.status)),
    latency_ms: clampInt(r.latencyMs),
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
    occurred_at: occurredAt(r.at, now),
  };
}

const histogramCounts = LATENCY_COLUMNS.map((_, i) => {
  const lower = i === 0 ? null : LATENCY_BOUNDS_MS[i - 1];
  const upper = i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i] : null;
  const cond = [lower === null ? null : `i.latency_ms > ${lower}`, upper === null ? null : `i.latency_ms <= ${upper}`].filter(Boolean).join(" AND ");
  return `count(*) FILTER (WHERE ${cond})`;
});

/** The rollup counter columns, in the order of ROLLUP_AGGREGATES. */
export const ROLLUP_COUNTERS = ["requests", "errors", "prompt_tokens", "completion_tokens", "total_tokens", "latency_ms_sum", ...LATENCY_COLUMNS];

/**
 * How usage events (alias `i`, grouped by bucket, key, model, status class)
 * become rollup columns: the key columns after tenant and granularity, then
 * one aggregate per ROLLUP_COUNTERS column. `granularity` is an SQL
 * expression. Shared with the benchmark's seed, so both count alike.
 */
export function rollupKeyColumns(granularity: string): string {
  return `date_trunc(${granularity}, i.occurred_at, 'UTC'), i.key_id, coalesce(i.model, ''), least(greatest(i.status / 100, 1), 5)::text || 'xx'`;
}
export const ROLLUP_AGGREGATES = [
  "count(*)",
  "count(*) FILTER (WHERE i.status >= 400)",
  "coalesce(sum(i.prompt_tokens), 0)",
  "coalesce(sum(i.completion_tokens), 0)",
  "coalesce(sum(i.total_tokens), 0)",
  "sum(i.latency_ms)",
  ...histogramCounts,
].join(", ");

/**
 * One statement, so one round trip: inserts the events that are new
 * (ON CONFLICT (tenant_id, request_id, occurred_at) DO NOTHING: an event is a
 * request id at the time its request finished, as the same record delivered
 * twice has; the id alone may be the caller's and shared), and from exactly those
 * (RETURNING) grows the minute, hour and day rollups (UTC buckets). A
 * redelivered event inserts nothing and so adds to no rollup. Rollup rows are
 * upserted in key order, so concurrent batches of one tenant lock them in the
 * same order and do not deadlock.
 */
const STORE_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(
    request_id text, key_id uuid, route text, model text, status integer, latency_ms integer,
    prompt_tokens integer, completion_tokens integer, total_tokens integer, occurred_at timestamptz)
), inserted AS (
  INSERT INTO usage_events (tenant_id, request_id, key_id, route, model, status, latency_ms, prompt_tokens, completion_tokens, total_tokens, occurred_at)
  SELECT $1::uuid, request_id, key_id, route, model, status, latency_ms, prompt_tokens, completion_tokens, total_tokens, occurred_at FROM input
  ON CONFLICT (tenant_id, request_id, occurred_at) DO NOTHING
  RETURNING key_id, model, status, latency_ms, prompt_tokens, completion_tokens, total_tokens, occurred_at
), rolled AS (
  INSERT INTO usage_rollups (tenant_id, granularity, bucket_start, key_id, model, status_class, ${ROLLUP_COUNTERS.join(", ")})
  SELECT $1::uuid, g.granularity, ${rollupKeyColumns("g.granularity")}, ${ROLLUP_AGGREGATES}
  FROM inserted i CROSS JOIN (VALUES ('minute'), ('hour'), ('day')) AS g(granularity)
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 2, 3, 4, 5, 6
  ON CONFLICT (tenant_id, granularity, bucket_start, key_id, model, status_class) DO UPDATE SET
    ${ROLLUP_COUNTERS.map((c) => `${c} = usage_rollups.${c} + EXCLUDED.${c}`).join(", ")}, updated_at = now()
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM rolled)::int AS rollups`;

/**
 * Stores one tenant's batch inside `tx` (a withTenant transaction): returns
 * how many events were new. Duplicates in the batch itself (same request id
 * and time) are dropped first.
 */
export async function storeUsageBatch(tx: TxClient, tenantId: string, records: readonly UsageRecord[]): Promise<number> {
  const byRequest = new Map<string, ReturnType<typeof eventRow>>();
  const now = Date.now();
  for (const r of records) {
    const row = eventRow(r, now);
    const identity = `${row.occurred_at} ${row.request_id}`;
    if (!byRequest.has(identity)) byRequest.set(identity, row);
  }
  if (byRequest.size === 0) return 0;
  const rows = await tx.$queryRawUnsafe<{ inserted: number }[]>(STORE_SQL, tenantId, JSON.stringify([...byRequest.values()]));
  return rows[0]?.inserted ?? 0;
}
