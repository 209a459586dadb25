import { NextResponse } from "next/server";
import { auditContextOf } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { getRetentionOverview } from "@/lib/retention/overview";
import { updateRetentionPolicies } from "@/lib/retention/policies";
import { retentionOverviewOutput, updateRetentionInput } from "@/lib/retention/retention-schemas";

/** Each data class's retention, the oldest row kept, and the last run. */
export const GET = withTenantRoute(
  async ({ tenant }) => {
    const overview = await getRetentionOverview(tenant.id);
    return NextResponse.json({ data: retentionOverviewOutput.parse(overview) });
  },
  { permission: "tenant.read" },
);

/** Changes how long classes live (`null`: back to the default). A sensitive action: MFA step-up. */
export const PATCH = withTenantRoute(
  async (ctx) => {
    const input = parseInput(updateRetentionInput, await readJsonBody(ctx.req));
    await updateRetentionPolicies(ctx.tenant.id, input, auditContextOf(ctx));
    const overview = await getRetentionOverview(ctx.tenant.id);
    return NextResponse.json({ data: retentionOverviewOutput.parse(overview) });
  },
  { permission: "tenant.settings.write", stepUp: true },
);
