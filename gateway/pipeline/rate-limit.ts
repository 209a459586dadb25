import { AppError } from "../../lib/errors/app-error";
import { combineRateLimitHeaders, rateLimitHeaders } from "../../lib/policy/rate-limit-headers";
import { RedisUnavailableError, type Limit, type RateDecision, type RateLimiter } from "../../lib/policy/rate-limiter";
import { tenantKey } from "../../lib/redis/keys";
import type { RequestContext, Stage } from "./types";

export type RedisFailureEvent = { tenantId: string; mode: "closed" | "open"; ctx: RequestContext; err: Error };

type Check = { policy: "key" | "tenant"; bucket: string; limit: Limit };

function checksOf(ctx: RequestContext): Check[] {
  const { record } = ctx.key!;
  const checks: Check[] = [];
  if (record.rateLimit) {
    checks.push({ policy: "key", bucket: tenantKey(record.tenantId, "rl", "key", record.keyId), limit: record.rateLimit });
  }
  if (record.tenant.rateLimit) {
    checks.push({ policy: "tenant", bucket: tenantKey(record.tenantId, "rl", "tenant"), limit: record.tenant.rateLimit });
  }
  return checks;
}

/**
 * Per-key, then per-tenant limits (whichever are set). Every response past
 * this stage, denial or not, carries `RateLimit-Policy` and `RateLimit`; a
 * 429 also `Retry-After`. When Redis cannot be reached, the tenant's
 * `redisFailureMode` decides: `closed` → 503, `open` → admitted unlimited.
 */
export function rateLimitStage(limiter: RateLimiter, onRedisFailure?: (e: RedisFailureEvent) => void): Stage {
  return {
    name: "rate-limit",
    appliesTo: (route) => route.auth === "api_key",
    async run(ctx) {
      const checks = checksOf(ctx);
      if (checks.length === 0) return;
      const headers: Record<string, string>[] = [];
      let denied: RateDecision | undefined;
      try {
        for (const check of checks) {
          const decision = await limiter.admit(check.bucket, check.limit);
          headers.push(rateLimitHeaders(check.policy, decision, check.limit));
          if (!decision.allowed) {
            denied = decision;
            break;
          }
        }
      } catch (err) {
        if (!(err instanceof RedisUnavailableError)) throw err;
        const { tenantId, tenant } = ctx.key!.record;
        onRedisFailure?.({ tenantId, mode: tenant.redisFailureMode, ctx, err });
        if (tenant.redisFailureMode === "open") return;
        throw new AppError("service_unavailable", "Rate limits cannot be checked right now; try again shortly", {
          headers: { "retry-after": "1" },
        });
      }
      Object.assign(ctx.responseHeaders, combineRateLimitHeaders(...headers));
      if (denied) {
        throw new AppError("rate_limited", `Rate limit exceeded; retry in ${denied.retryAfterSeconds} s`, {
          headers: { "retry-after": ctx.responseHeaders["retry-after"] ?? String(Math.max(1, denied.retryAfterSeconds)) },
        });
      }
    },
  };
}
