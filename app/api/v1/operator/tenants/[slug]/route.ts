import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { AppError } from "@/lib/errors/app-error";
import { listTenantsForOperator, operatorTenantOutput } from "@/lib/quotas/operator-overview";
import { closedPeriodView } from "@/lib/quotas/quota-status";
import { closedPeriodOutput } from "@/lib/quotas/quota-schemas";
import { getRedis } from "@/lib/redis/shared";

/** One tenant as the operator console shows it, with its last closed quota periods. */
export const GET = withOperatorRoute<{ slug: string }>(
  async (ctx) => {
    const [tenant] = await listTenantsForOperator(ctx.operatorRead, { redis: getRedis(), slug: ctx.params.slug });
    if (!tenant) throw new AppError("not_found", "Tenant not found");
    const history = await ctx.operatorRead("quota_periods", "operator console: a tenant's closed quota periods", (tx) =>
      tx.quotaPeriod.findMany({ where: { tenantId: tenant.id }, orderBy: { endsAt: "desc" }, take: 12 }),
    );
    return NextResponse.json({
      data: { tenant: operatorTenantOutput.parse(tenant), history: closedPeriodOutput.array().parse(history.map(closedPeriodView)) },
    });
  },
  { permission: "platform.tenants.read" },
);
