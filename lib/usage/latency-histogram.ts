/**
 * The fixed latency histogram every usage rollup carries: bucket i counts the
 * requests whose latency (ms) was above LATENCY_BOUNDS_MS[i - 1] and at most
 * LATENCY_BOUNDS_MS[i]; the last bucket counts the rest. Fixed buckets add up
 * across rows, so percentiles of any range, key or model come from rollups
 * alone, at the resolution of the buckets.
 */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000] as const;

/** The rollup columns of the buckets, in order (usage_rollups.lat_le_N, lat_gt_60000). */
export const LATENCY_COLUMNS: readonly string[] = [
  ...LATENCY_BOUNDS_MS.map((b) => `lat_le_${b}`),
  `lat_gt_${LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]}`,
];

/** The bucket a latency falls in. */
export function latencyBucket(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i < 0 ? LATENCY_BOUNDS_MS.length : i;
}

/**
 * The p-quantile (0 < p <= 1) of the latencies counted in `counts`, linearly
 * interpolated inside its bucket; null when nothing was counted. A quantile
 * that lands in the open last bucket is reported as its lower bound (60 s).
 */
export function latencyPercentile(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = Math.max(p * total, Number.MIN_VALUE);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!;
    if (n > 0 && seen + n >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      if (i >= LATENCY_BOUNDS_MS.length) return lower;
      const upper = LATENCY_BOUNDS_MS[i]!;
      return Math.round((lower + ((upper - lower) * (rank - seen)) / n) * 10) / 10;
    }
    seen += n;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}
