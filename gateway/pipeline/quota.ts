import type { RequestContext, Stage } from "./types";

/**
 * Per-tenant quotas per period belong to the usage feature: it supplies a
 * check that throws `quota_exceeded` (429). Until then every request passes.
 */
export type QuotaCheck = (ctx: RequestContext) => void | Promise<void>;

export const noQuota: QuotaCheck = () => {};

export function quotaStage(check: QuotaCheck = noQuota): Stage {
  return {
    name: "quota",
    appliesTo: (route) => route.auth === "api_key",
    run: (ctx) => check(ctx),
  };
}
