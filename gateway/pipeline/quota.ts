import { AppError } from "../../lib/errors/app-error";
import { RedisUnavailableError } from "../../lib/policy/rate-limiter";
import type { QuotaDecision, QuotaEnforcer, QuotaHandle } from "../../lib/quotas/quota-enforcer";
import type { RedisFailureEvent } from "./rate-limit";
import type { RequestContext, Stage } from "./types";

/** A check that throws `quota_exceeded` (429) or passes; tests may replace the enforcer's. */
export type QuotaCheck = (ctx: RequestContext) => void | Promise<void>;

export const noQuota: QuotaCheck = () => {};

/** Which period an admitted request's tokens are charged to, by request (read after the response). */
const handles = new WeakMap<RequestContext, QuotaHandle>();

export function quotaHandleOf(ctx: RequestContext): QuotaHandle | undefined {
  return handles.get(ctx);
}

function apply(ctx: RequestContext, decision: QuotaDecision): void {
  if (decision.allowed) {
    handles.set(ctx, decision.handle);
    if (decision.warnings.length > 0) {
      ctx.responseHeaders["x-quota-warning"] = `${decision.warnings.join(", ")}; period="${decision.period.key}"`;
    }
    return;
  }
  const { metric, limit, period, retryAfterSeconds } = decision;
  throw new AppError(
    "quota_exceeded",
    `The tenant's ${period.kind === "day" ? "daily" : "monthly"} ${metric} quota (${limit}) is used up; it renews at ${period.endsAt.toISOString()}`,
    { headers: { "retry-after": String(retryAfterSeconds), "x-quota-exceeded": `${metric}; period="${period.key}"` } },
  );
}

/**
 * The tenant's quota for this period (lib/quotas/quota-enforcer.ts), after
 * the rate limits. Admits synchronously while this instance holds permits;
 * when Redis cannot be reached for a lease, the tenant's `redisFailureMode`
 * decides as for rate limits: `closed` → 503, `open` → admitted uncounted.
 */
export function enforcerQuotaCheck(enforcer: QuotaEnforcer, onRedisFailure?: (e: RedisFailureEvent) => void): QuotaCheck {
  const failed = (ctx: RequestContext, err: unknown): void => {
    if (!(err instanceof RedisUnavailableError)) throw err;
    const { tenantId, tenant } = ctx.key!.record;
    onRedisFailure?.({ tenantId, mode: tenant.redisFailureMode, ctx, err });
    if (tenant.redisFailureMode === "open") return;
    throw new AppError("service_unavailable", "Quotas cannot be checked right now; try again shortly", {
      headers: { "retry-after": "1" },
    });
  };
  return (ctx) => {
    const { tenantId, tenant } = ctx.key!.record;
    if (!tenant.quota) return;
    const decision = enforcer.admit(tenantId, tenant.quota);
    if (!(decision instanceof Promise)) return apply(ctx, decision);
    return decision.then(
      (d) => apply(ctx, d),
      (err) => failed(ctx, err),
    );
  };
}

/**
 * Charges a finished response's tokens (read from the response the client
 * already has) to the period its request was admitted in. Only requests of
 * tenants with a quota are looked at.
 */
export function recordQuotaTokens(enforcer: QuotaEnforcer, ctx: RequestContext | undefined): void {
  const handle = ctx && handles.get(ctx);
  if (!handle) return;
  const usage = ctx.usageTap?.usage();
  const total = usage?.totalTokens ?? (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0);
  if (total > 0) enforcer.recordTokens(handle, total);
}

export function quotaStage(check: QuotaCheck = noQuota): Stage {
  return {
    name: "quota",
    appliesTo: (route) => route.auth === "api_key",
    run: (ctx) => check(ctx),
  };
}
