import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { securityEventQuery } from "@/lib/audit/audit-schemas";
import { querySecurityEvents } from "@/lib/audit/security-events";
import { parseInput } from "@/lib/errors/validation";

/** The tenant's security log: gateway requests that were denied, newest first, filtered by code, key, IP and time. */
export const GET = withTenantRoute(
  async ({ req, tenant, inTenant }) => {
    const filters = parseInput(securityEventQuery, Object.fromEntries(req.nextUrl.searchParams));
    const page = await inTenant((tx) => querySecurityEvents(tx, tenant.id, filters));
    return NextResponse.json({ data: page }); // events parsed through securityEventView in lib/audit
  },
  { permission: "audit.read", apiKeys: true },
);
