import { describe, expect, it } from "vitest";
import { LATENCY_BOUNDS_MS, LATENCY_COLUMNS, latencyBucket, latencyPercentile } from "./latency-histogram";

const histogram = (latencies: number[]) => {
  const counts = LATENCY_COLUMNS.map(() => 0);
  for (const ms of latencies) counts[latencyBucket(ms)]!++;
  return counts;
};

describe("latency histogram", () => {
  it("puts a latency in the first bucket whose bound it does not exceed", () => {
    expect(LATENCY_COLUMNS).toHaveLength(LATENCY_BOUNDS_MS.length + 1);
    expect([0, 5, 5.1, 10, 999, 1_000, 1_001, 60_000, 60_001].map(latencyBucket)).toEqual([0, 0, 1, 1, 7, 7, 8, 12, 13]);
  });

  it("reads p50 and p95 within the bucket that holds them", () => {
    const latencies = Array.from({ length: 100 }, (_, i) => (i < 90 ? 30 : 400)); // 90 at 30 ms, 10 at 400 ms
    const counts = histogram(latencies);
    const p50 = latencyPercentile(counts, 0.5)!;
    const p95 = latencyPercentile(counts, 0.95)!;
    expect(p50).toBeGreaterThan(25);
    expect(p50).toBeLessThanOrEqual(50);
    expect(p95).toBeGreaterThan(250);
    expect(p95).toBeLessThanOrEqual(500);
  });

  it("has no percentile without requests, and reports the open last bucket as 60 s", () => {
    expect(latencyPercentile(LATENCY_COLUMNS.map(() => 0), 0.5)).toBeNull();
    expect(latencyPercentile(histogram([90_000, 120_000]), 0.95)).toBe(60_000);
  });
});
