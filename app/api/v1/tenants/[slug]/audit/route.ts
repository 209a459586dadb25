import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { listAuditEntries } from "@/lib/console/audit-entries";
import { auditQuery } from "@/lib/console/schemas";
import { parseInput } from "@/lib/errors/validation";

/** The tenant's newest audit entries: `?limit=` 1-100, default 50. */
export const GET = withTenantRoute(
  async ({ req, tenant, inTenant }) => {
    const { limit } = parseInput(auditQuery, Object.fromEntries(req.nextUrl.searchParams));
    const entries = await inTenant((tx) => listAuditEntries(tx, tenant.id, limit));
    return NextResponse.json({ data: entries });
  },
  { permission: "audit.read", apiKeys: true },
);
