/**
 * The design the lease limiter replaces, kept only as the micro-benchmark's
 * baseline: one Redis round trip (a fixed-window INCR in Lua) per request.
 */
import type { Redis } from "ioredis";
import type { Limit, RateDecision, RateLimiter } from "../lib/policy/rate-limiter";

const INCR_LUA = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

export function createNaiveRateLimiter(redis: Redis): RateLimiter {
  return {
    async admit(bucket: string, limit: Limit): Promise<RateDecision> {
      const windowMs = limit.windowSeconds * 1000;
      const window = Math.floor(Date.now() / windowMs);
      const [count, ttl] = (await redis.eval(INCR_LUA, 1, `${bucket}:${window}`, windowMs)) as [number, number];
      const reset = Math.max(0, Math.ceil(ttl / 1000));
      const allowed = count <= limit.requests;
      return { allowed, limit: limit.requests, remaining: Math.max(0, limit.requests - count), resetSeconds: reset, retryAfterSeconds: allowed ? 0 : Math.max(1, reset) };
    },
    async close() {},
  };
}
