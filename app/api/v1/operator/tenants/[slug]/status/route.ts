import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { readJsonBody } from "@/lib/auth/route-common";
import { parseInput } from "@/lib/errors/validation";
import { operatorSetStatus, tenantStatusInput } from "@/lib/quotas/operator-actions";
import { tenantOutput } from "@/lib/tenants/tenant-schemas";

/**
 * Suspends or resumes a tenant. A suspended tenant's keys are refused by
 * every gateway within about a second and its members cannot act in it.
 * Idempotent.
 */
export const POST = withOperatorRoute<{ slug: string }>(
  async (ctx) => {
    const input = parseInput(tenantStatusInput, await readJsonBody(ctx.req));
    const tenant = await operatorSetStatus(ctx.params.slug, input.status, { ...ctx.audit, reason: input.reason });
    return NextResponse.json({ data: tenantOutput.parse(tenant) });
  },
  { permission: "platform.tenants.suspend", stepUp: true },
);
