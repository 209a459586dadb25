import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { queryUsage } from "@/lib/usage/query-usage";
import { resolveUsageRange } from "@/lib/usage/usage-range";
import { usageQuery } from "@/lib/usage/usage-schemas";

/** Totals, a time series and rows by key or model over a range: `?range=24h|7d|30d` or `?from=&to=`, `&by=key|model`. */
export const GET = withTenantRoute(
  async ({ req, tenant, inTenant }) => {
    const query = parseInput(usageQuery, Object.fromEntries(req.nextUrl.searchParams));
    const range = resolveUsageRange(query);
    const report = await inTenant((tx) => queryUsage(tx, tenant.id, range, query.by));
    return NextResponse.json({ data: report }, { headers: { "cache-control": "private, no-store" } });
  },
  { permission: "usage.read", apiKeys: true },
);
