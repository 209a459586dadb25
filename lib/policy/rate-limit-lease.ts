import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * The Redis side of the rate limiter: one hash per bucket holding the current
 * fixed window's ledger, changed only by these two scripts (atomic in Redis).
 *
 *   w      index of the window (Redis server time / window length)
 *   g      permits granted to instances in this window (consumed or not)
 *   n      instances that leased in this window
 *   i:<id> marks instance <id> as seen in this window
 *
 * Invariant: `g <= limit` for every window, so the permits handed out — and
 * hence requests admitted — never exceed the limit, however many instances
 * lease. Windows come from the Redis server's clock (`TIME`), not the
 * instances', so skewed gateway clocks cannot open two windows at once.
 */

/**
 * KEYS[1] bucket; ARGV limit, windowMs, want, instanceId.
 * Grants min(want, fair share, remaining), the fair share being
 * max(1, floor(remaining / (2 * instances))): small when little budget is left,
 * so that instances that hold permits they end up not using cannot strand much
 * of it. Returns { granted, unleased remaining, ms left in window, window, instances }.
 */
const LEASE_LUA = `
local limit = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = math.floor(nowMs / windowMs)
local msLeft = (window + 1) * windowMs - nowMs
if tonumber(redis.call('HGET', KEYS[1], 'w')) ~= window then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'w', window, 'g', 0, 'n', 0)
end
if redis.call('HSETNX', KEYS[1], 'i:' .. ARGV[4], 1) == 1 then
  redis.call('HINCRBY', KEYS[1], 'n', 1)
end
local instances = tonumber(redis.call('HGET', KEYS[1], 'n'))
local remaining = limit - tonumber(redis.call('HGET', KEYS[1], 'g'))
local grant = 0
if remaining > 0 and want > 0 then
  grant = math.min(want, math.max(1, math.floor(remaining / (2 * instances))), remaining)
  redis.call('HINCRBY', KEYS[1], 'g', grant)
end
redis.call('PEXPIRE', KEYS[1], msLeft + 1000)
return {grant, math.max(0, remaining - grant), msLeft, window, instances}
`;

/** KEYS[1] bucket; ARGV window, count. Gives unused permits back to that window, if it is still current. */
const RETURN_LUA = `
if tonumber(redis.call('HGET', KEYS[1], 'w')) ~= tonumber(ARGV[1]) then return 0 end
local back = math.min(tonumber(ARGV[2]), tonumber(redis.call('HGET', KEYS[1], 'g')))
if back > 0 then redis.call('HINCRBY', KEYS[1], 'g', -back) end
return back
`;

export type LeaseReply = {
  granted: number;
  /** Permits of this window not yet leased to any instance. */
  unleased: number;
  msLeft: number;
  window: number;
  instances: number;
};

/** The Lua fair-share rule, for tests and documentation: permits one lease may take. */
export function leaseGrant(remaining: number, instances: number, want: number): number {
  if (remaining <= 0 || want <= 0) return 0;
  return Math.min(want, Math.max(1, Math.floor(remaining / (2 * Math.max(1, instances)))), remaining);
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const LEASE_SHA = sha1(LEASE_LUA);
const RETURN_SHA = sha1(RETURN_LUA);

/** EVALSHA, falling back to EVAL once when the server has not cached the script (restart, SCRIPT FLUSH). */
async function evalScript(redis: Redis, sha: string, lua: string, key: string, args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(sha, 1, key, ...args);
  } catch (err) {
    if (!(err as Error).message?.startsWith("NOSCRIPT")) throw err;
    return redis.eval(lua, 1, key, ...args);
  }
}

export async function leasePermits(
  redis: Redis,
  bucket: string,
  limit: number,
  windowMs: number,
  want: number,
  instanceId: string,
): Promise<LeaseReply> {
  const reply = (await evalScript(redis, LEASE_SHA, LEASE_LUA, bucket, [limit, windowMs, want, instanceId])) as number[];
  const [granted, unleased, msLeft, window, instances] = reply.map(Number) as [number, number, number, number, number];
  return { granted, unleased, msLeft, window, instances };
}

export async function returnPermits(redis: Redis, bucket: string, window: number, count: number): Promise<number> {
  return Number(await evalScript(redis, RETURN_SHA, RETURN_LUA, bucket, [window, count]));
}
