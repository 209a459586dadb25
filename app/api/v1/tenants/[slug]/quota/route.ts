import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { quotaStatusOutput } from "@/lib/quotas/quota-schemas";
import { getQuotaStatus } from "@/lib/quotas/quota-status";
import { getRedis } from "@/lib/redis/shared";

/**
 * The tenant's quota (set by platform operators), this period's use so far
 * (at most about a second behind the gateways) and its last closed periods.
 */
export const GET = withTenantRoute(
  async ({ tenant }) => {
    const status = await getQuotaStatus(tenant.id, { redis: getRedis() });
    return NextResponse.json({ data: quotaStatusOutput.parse(status) });
  },
  { permission: "usage.read", apiKeys: true },
);
