import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { tenantKey } from "../redis/keys";
import type { PeriodKind } from "./period";

/**
 * The Redis side of quotas: one hash per (tenant, period), changed only by
 * SYNC_LUA (atomic in Redis).
 *
 *   g      request permits granted to gateway instances (hard request quotas)
 *   u      requests admitted, as reported by the instances (batched)
 *   t      tokens used, as reported by the instances (batched)
 *   n      instances that leased in this period;  i:<id> marks one as seen
 *   r:requests / r:tokens   set once when the limit was first reached
 *
 * Invariant for a hard request quota: `g <= limit`, so however many instances
 * lease, no more requests than the limit are admitted. The key names the
 * period (`...:quota:month:2026-11`), so the next period is a new, empty hash.
 */
export function quotaCounterKey(tenantId: string, period: PeriodKind, periodKey: string): string {
  return tenantKey(tenantId, "quota", period, periodKey);
}

/**
 * KEYS[1] counter; ARGV hardRequests (0: no hard cap), want, usedDelta,
 * tokensDelta, giveBack, instanceId, ttlSeconds, requestsLimit (0: none),
 * tokensLimit (0: none).
 * Adds the reported use, takes back `giveBack` unused permits, then grants
 * min(want, fair share, remaining) with fair share max(1, floor(remaining /
 * (2 × instances))). Returns { granted, g, u, t, reachedRequests, reachedTokens }
 * where reached* is 1 only for the one call that first saw the limit reached.
 */
const SYNC_LUA = `
local hard = tonumber(ARGV[1])
local want = tonumber(ARGV[2])
if redis.call('HSETNX', KEYS[1], 'i:' .. ARGV[6], 1) == 1 then
  redis.call('HINCRBY', KEYS[1], 'n', 1)
end
local u = redis.call('HINCRBY', KEYS[1], 'u', tonumber(ARGV[3]))
local t = redis.call('HINCRBY', KEYS[1], 't', tonumber(ARGV[4]))
local g = tonumber(redis.call('HGET', KEYS[1], 'g') or '0')
local back = math.min(tonumber(ARGV[5]), g)
if back > 0 then g = redis.call('HINCRBY', KEYS[1], 'g', -back) end
local grant = 0
if want > 0 then
  if hard > 0 then
    local remaining = hard - g
    if remaining > 0 then
      local instances = tonumber(redis.call('HGET', KEYS[1], 'n'))
      grant = math.min(want, math.max(1, math.floor(remaining / (2 * instances))), remaining)
    end
  else
    grant = want
  end
  if grant > 0 then g = redis.call('HINCRBY', KEYS[1], 'g', grant) end
end
local rr = 0
local rt = 0
local reqLimit = tonumber(ARGV[8])
local tokLimit = tonumber(ARGV[9])
if reqLimit > 0 and u >= reqLimit then rr = redis.call('HSETNX', KEYS[1], 'r:requests', 1) end
if tokLimit > 0 and t >= tokLimit then rt = redis.call('HSETNX', KEYS[1], 'r:tokens', 1) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[7]))
return {grant, g, u, t, rr, rt}
`;

const SYNC_SHA = createHash("sha1").update(SYNC_LUA).digest("hex");

export type SyncRequest = {
  hardRequests: number;
  want: number;
  usedDelta: number;
  tokensDelta: number;
  giveBack: number;
  instanceId: string;
  ttlSeconds: number;
  requestsLimit: number;
  tokensLimit: number;
};

export type SyncReply = {
  granted: number;
  /** Permits granted in this period so far (all instances). */
  grantedTotal: number;
  /** Requests admitted in this period (all instances, as reported so far). */
  used: number;
  /** Tokens used in this period (as reported so far). */
  tokens: number;
  reachedRequests: boolean;
  reachedTokens: boolean;
};

/** One atomic report-and-lease round trip (EVALSHA, EVAL once after a script cache flush). */
export async function syncQuota(redis: Redis, key: string, r: SyncRequest): Promise<SyncReply> {
  const args = [r.hardRequests, r.want, r.usedDelta, r.tokensDelta, r.giveBack, r.instanceId, r.ttlSeconds, r.requestsLimit, r.tokensLimit];
  let reply: unknown;
  try {
    reply = await redis.evalsha(SYNC_SHA, 1, key, ...args);
  } catch (err) {
    if (!(err as Error).message?.startsWith("NOSCRIPT")) throw err;
    reply = await redis.eval(SYNC_LUA, 1, key, ...args);
  }
  const [granted, g, u, t, rr, rt] = (reply as unknown[]).map(Number) as [number, number, number, number, number, number];
  return { granted, grantedTotal: g, used: u, tokens: t, reachedRequests: rr === 1, reachedTokens: rt === 1 };
}

/** What a period has used so far, as Redis holds it (zeros when nothing was counted). */
export async function readQuotaCounter(redis: Redis, key: string): Promise<{ requests: number; tokens: number; exists: boolean }> {
  const [u, t] = await redis.hmget(key, "u", "t");
  return { requests: Number(u ?? 0), tokens: Number(t ?? 0), exists: u !== null || t !== null };
}

/** How long a period's counter outlives the period: long enough for the close job to read it. */
export const COUNTER_RETENTION_SECONDS = 40 * 86_400;
