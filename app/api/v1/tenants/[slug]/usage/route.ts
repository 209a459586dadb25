import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { readUsageReport } from "@/lib/usage/read-usage";
import { usageQuery } from "@/lib/usage/usage-schemas";

/**
 * Totals, a time series and rows by key or model over a range: `?range=24h|7d|30d` or `?from=&to=`, `&by=key|model`,
 * optionally only one key's (`&key=ID`) and/or one model's (`&model=NAME`) requests. Day buckets are the tenant's local days.
 */
export const GET = withTenantRoute(
  async ({ req, tenant, inTenant }) => {
    const query = parseInput(usageQuery, Object.fromEntries(req.nextUrl.searchParams));
    const report = await inTenant((tx) => readUsageReport(tx, tenant.id, query));
    return NextResponse.json({ data: report }, { headers: { "cache-control": "private, no-store" } });
  },
  { permission: "usage.read", apiKeys: true },
);
