import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { readJsonBody } from "@/lib/auth/route-common";
import { parseInput } from "@/lib/errors/validation";
import { operatorClearQuota, operatorSetQuota } from "@/lib/quotas/operator-actions";
import { quotaOutput, setQuotaInput } from "@/lib/quotas/quota-schemas";

/** Sets or replaces the tenant's quota (and optionally its time zone). Gateways apply it within about a second. */
export const PUT = withOperatorRoute<{ slug: string }>(
  async (ctx) => {
    const input = parseInput(setQuotaInput, await readJsonBody(ctx.req));
    const quota = await operatorSetQuota(ctx.params.slug, input, ctx.audit);
    return NextResponse.json({ data: quotaOutput.parse(quota) });
  },
  { permission: "platform.quotas.write", stepUp: true },
);

/** Removes the tenant's quota. Idempotent. */
export const DELETE = withOperatorRoute<{ slug: string }>(
  async (ctx) => {
    await operatorClearQuota(ctx.params.slug, ctx.audit);
    return new Response(null, { status: 204 });
  },
  { permission: "platform.quotas.write", stepUp: true },
);
