/**
 * Micro-benchmark of the rate limiter alone, in this process: admits per
 * second of the lease limiter (local admits, a Redis lease now and then)
 * against the naive one-Redis-call-per-request limiter, same Redis, same
 * concurrency. Bounded by count and time per side.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { createRateLimiter, type RateLimiter } from "../lib/policy/rate-limiter";
import { tenantKey } from "../lib/redis/keys";
import { createNaiveRateLimiter } from "./naive-rate-limiter";

const CONCURRENCY = 32;
const LIMIT = { requests: 1_000_000_000, windowSeconds: 3600 };

export type MicroResult = { leasedPerS: number; naivePerS: number; ratio: number; leaseCalls: number; leasedAdmits: number };

async function measure(limiter: RateLimiter, maxAdmits: number, maxMs: number): Promise<{ perS: number; admits: number }> {
  const bucket = tenantKey(randomUUID(), "rl", "bench", "micro");
  let admits = 0;
  const started = performance.now();
  const deadline = started + maxMs;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (admits < maxAdmits && performance.now() < deadline) {
        for (let i = 0; i < 64 && admits < maxAdmits; i++) {
          const d = await limiter.admit(bucket, LIMIT);
          if (!d.allowed) throw new Error("micro-bench limit must not deny");
          admits++;
        }
      }
    }),
  );
  return { perS: admits / ((performance.now() - started) / 1000), admits };
}

export async function limiterMicroBench(redis: Redis, seconds = 2): Promise<MicroResult> {
  let leaseCalls = 0;
  const leased = createRateLimiter(redis, { onLease: () => void leaseCalls++ });
  const naive = createNaiveRateLimiter(redis);
  try {
    await measure(leased, 10_000, 500); // warm-up (JIT, script cache)
    await measure(naive, 2_000, 500);
    leaseCalls = 0;
    const l = await measure(leased, 5_000_000, seconds * 1000);
    const n = await measure(naive, 1_000_000, seconds * 1000);
    return { leasedPerS: l.perS, naivePerS: n.perS, ratio: l.perS / n.perS, leaseCalls, leasedAdmits: l.admits };
  } finally {
    await leased.close();
  }
}
