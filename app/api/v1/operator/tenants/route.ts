import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { listTenantsForOperator, operatorTenantOutput } from "@/lib/quotas/operator-overview";
import { getRedis } from "@/lib/redis/shared";

/** Every tenant: status, quota, this period's use and last activity (platform operators; audited read). */
export const GET = withOperatorRoute(
  async (ctx) => {
    const tenants = await listTenantsForOperator(ctx.operatorRead, { redis: getRedis() });
    return NextResponse.json({ data: operatorTenantOutput.array().parse(tenants) });
  },
  { permission: "platform.tenants.read" },
);
