import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { auditListQuery } from "@/lib/audit/audit-schemas";
import { queryAuditEntries } from "@/lib/audit/query-entries";
import { parseInput } from "@/lib/errors/validation";

/**
 * The tenant's audit entries, newest first, filtered by actor, action,
 * target, outcome and time; `?cursor=` pages on (`data.nextCursor`).
 * Unknown query fields and bad dates are 400.
 */
export const GET = withTenantRoute(
  async ({ req, tenant, inTenant }) => {
    const { cursor, limit, ...filters } = parseInput(auditListQuery, Object.fromEntries(req.nextUrl.searchParams));
    const page = await inTenant((tx) => queryAuditEntries(tx, tenant.id, filters, { cursor, limit }));
    return NextResponse.json({ data: page }); // entries parsed through auditEntryView in lib/audit
  },
  { permission: "audit.read", apiKeys: true },
);
