import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { securityEventSummaryQuery } from "@/lib/audit/audit-schemas";
import { summarizeSecurityEvents } from "@/lib/audit/security-events";
import { parseInput } from "@/lib/errors/validation";

/** Refused requests over time by reason (hourly up to two days, else daily), and the addresses and keys refused most. */
export const GET = withTenantRoute(
  async ({ req, tenant, inTenant }) => {
    const filters = parseInput(securityEventSummaryQuery, Object.fromEntries(req.nextUrl.searchParams));
    return NextResponse.json({ data: await inTenant((tx) => summarizeSecurityEvents(tx, tenant.id, filters)) });
  },
  { permission: "audit.read", apiKeys: true },
);
