import { AppError } from "../../lib/errors/app-error";
import type { KeyRecord } from "../../lib/keys/lookup-key";
import { combineRateLimitHeaders, rateLimitHeaders } from "../../lib/policy/rate-limit-headers";
import { RedisUnavailableError, type Limit, type RateDecision, type RateLimiter } from "../../lib/policy/rate-limiter";
import { tenantKey } from "../../lib/redis/keys";
import type { RequestContext, Stage } from "./types";

export type RedisFailureEvent = { tenantId: string; mode: "closed" | "open"; ctx: RequestContext; err: Error };

type Check = { policy: "key" | "tenant"; bucket: string; limit: Limit };

/**
 * A key's limits, worked out once per key record (records are replaced, never
 * changed, when a key or tenant is reloaded): buckets and the
 * `RateLimit-Policy` value, which only depends on the limits.
 */
type Plan = {
  checks: Check[];
  /** `RateLimit-Policy` after the first i + 1 checks. */
  policies: string[];
  /** The quoted policy names, as in `RateLimit`. */
  names: string[];
};

const plans = new WeakMap<KeyRecord, Plan>();

function planOf(record: KeyRecord): Plan {
  let plan = plans.get(record);
  if (plan) return plan;
  const checks: Check[] = [];
  if (record.rateLimit) {
    checks.push({ policy: "key", bucket: tenantKey(record.tenantId, "rl", "key", record.keyId), limit: record.rateLimit });
  }
  if (record.tenant.rateLimit) {
    checks.push({ policy: "tenant", bucket: tenantKey(record.tenantId, "rl", "tenant"), limit: record.tenant.rateLimit });
  }
  const policies: string[] = [];
  const names: string[] = [];
  for (const check of checks) {
    // Any decision gives the same policy and name; only `RateLimit`'s r and t vary.
    const sample = rateLimitHeaders(check.policy, { allowed: true, limit: 0, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 }, check.limit);
    const policy = sample["ratelimit-policy"]!;
    policies.push(policies.length ? `${policies[policies.length - 1]}, ${policy}` : policy);
    names.push(sample.ratelimit!.slice(0, sample.ratelimit!.indexOf(";r=")));
  }
  plan = { checks, policies, names };
  plans.set(record, plan);
  return plan;
}

/** Structured Field Integer as rateLimitHeaders writes it. */
const sfInteger = (n: number) => String(Math.min(999_999_999_999_999, Math.max(0, Math.floor(n))));

function admitted(plan: Plan, decisions: readonly RateDecision[], headers: Record<string, string>): void {
  let value = "";
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i]!;
    value += `${i ? ", " : ""}${plan.names[i]};r=${sfInteger(d.remaining)};t=${sfInteger(d.resetSeconds)}`;
  }
  headers["ratelimit-policy"] = plan.policies[decisions.length - 1]!;
  headers.ratelimit = value;
}

/**
 * Per-key, then per-tenant limits (whichever are set). Every response past
 * this stage, denial or not, carries `RateLimit-Policy` and `RateLimit`; a
 * 429 also `Retry-After`. When Redis cannot be reached, the tenant's
 * `redisFailureMode` decides: `closed` → 503, `open` → admitted unlimited.
 */
export function rateLimitStage(limiter: RateLimiter, onRedisFailure?: (e: RedisFailureEvent) => void): Stage {
  /** The checks from `decisions.length` on, waiting for Redis where the limiter cannot decide at once. */
  async function admit(ctx: RequestContext, plan: Plan, decisions: RateDecision[]): Promise<void> {
    let denied: RateDecision | undefined;
    try {
      for (let i = decisions.length; i < plan.checks.length; i++) {
        const check = plan.checks[i]!;
        const decision = await limiter.admit(check.bucket, check.limit);
        decisions.push(decision);
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
    conclude(ctx, plan, decisions, denied);
  }
  function conclude(ctx: RequestContext, plan: Plan, decisions: RateDecision[], denied: RateDecision | undefined): void {
    if (!denied) {
      admitted(plan, decisions, ctx.responseHeaders);
      return;
    }
    const headers = decisions.map((d, i) => rateLimitHeaders(plan.checks[i]!.policy, d, plan.checks[i]!.limit));
    Object.assign(ctx.responseHeaders, combineRateLimitHeaders(...headers));
    throw new AppError("rate_limited", `Rate limit exceeded; retry in ${denied.retryAfterSeconds} s`, {
      headers: { "retry-after": ctx.responseHeaders["retry-after"] ?? String(Math.max(1, denied.retryAfterSeconds)) },
    });
  }
  return {
    name: "rate-limit",
    appliesTo: (route) => route.auth === "api_key",
    run(ctx) {
      const plan = planOf(ctx.key!.record);
      if (plan.checks.length === 0) return;
      // Synchronously while this instance holds permits (the usual case): no promise, no microtask.
      const decisions: RateDecision[] = [];
      if (limiter.tryAdmit) {
        for (const check of plan.checks) {
          const decision = limiter.tryAdmit(check.bucket, check.limit);
          if (decision === undefined) break;
          decisions.push(decision);
          if (!decision.allowed) return conclude(ctx, plan, decisions, decision);
        }
        if (decisions.length === plan.checks.length) return conclude(ctx, plan, decisions, undefined);
      }
      return admit(ctx, plan, decisions);
    },
  };
}
