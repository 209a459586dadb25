import { LATENCY_COLUMNS } from "./latency-histogram";
import type { UsageFilter } from "./usage-schemas";

/** Sums of one group of rollup rows, as read from Postgres (float8: JS numbers). */
export type Sums = {
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  latency_ms_sum: number;
  histogram: number[];
};

/** The counter columns of usage_rollups that a report sums. */
export const COUNTERS: readonly string[] = ["requests", "errors", "prompt_tokens", "completion_tokens", "total_tokens", "latency_ms_sum", ...LATENCY_COLUMNS];

/** The aggregates of a report's figures over rows carrying COUNTERS. */
export const SUMS = `sum(requests)::float8 AS requests, sum(errors)::float8 AS errors,
  sum(prompt_tokens)::float8 AS prompt_tokens, sum(completion_tokens)::float8 AS completion_tokens,
  sum(total_tokens)::float8 AS total_tokens, sum(latency_ms_sum)::float8 AS latency_ms_sum,
  ARRAY[${LATENCY_COLUMNS.map((c) => `sum(${c})::float8`).join(", ")}] AS histogram`;

/** Bind values of one statement, numbered as they are added. */
export function sqlArgs() {
  const args: unknown[] = [];
  const bind = (value: unknown, cast = "") => {
    args.push(value);
    return `$${args.length}${cast}`;
  };
  return { args, bind };
}

/** ` AND key_id = $n AND model = $m` for what the filter names ('' when nothing). */
export function filterSql(filter: UsageFilter, bind: (value: unknown, cast?: string) => string, alias = ""): string {
  let sql = "";
  if (filter.keyId) sql += ` AND ${alias}key_id = ${bind(filter.keyId, "::uuid")}`;
  if (filter.model !== null) sql += ` AND ${alias}model = ${bind(filter.model)}`;
  return sql;
}

/** Adds `s` into `total` (counters and histogram). */
export function addSums(total: Sums, s: Sums): void {
  total.requests += s.requests;
  total.errors += s.errors;
  total.prompt_tokens += s.prompt_tokens;
  total.completion_tokens += s.completion_tokens;
  total.total_tokens += s.total_tokens;
  total.latency_ms_sum += s.latency_ms_sum;
  s.histogram.forEach((n, i) => (total.histogram[i] = (total.histogram[i] ?? 0) + n));
}
