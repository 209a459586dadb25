import { NextResponse } from "next/server";
import { withOperatorRoute } from "@/lib/auth/operator-route";
import { operatorAuditQuery } from "@/lib/audit/audit-schemas";
import { searchAuditAcrossTenants } from "@/lib/audit/operator-search";
import { parseInput } from "@/lib/errors/validation";

/**
 * Platform operators search every tenant's audit trail (or one tenant's, by
 * `tenant` slug) with the tenant view's filters. Each search is itself
 * recorded in the platform audit log (withOperatorRead), with its filters.
 */
export const GET = withOperatorRoute(
  async ({ req, operatorRead }) => {
    const query = parseInput(operatorAuditQuery, Object.fromEntries(req.nextUrl.searchParams));
    const reason = `audit search ${JSON.stringify(Object.fromEntries(req.nextUrl.searchParams))}`.slice(0, 500);
    const page = await operatorRead("audit_logs", reason, (tx) => searchAuditAcrossTenants(tx, query));
    return NextResponse.json({ data: page }); // entries parsed through operatorAuditEntryView in lib/audit
  },
  { permission: "platform.audit.read" },
);
