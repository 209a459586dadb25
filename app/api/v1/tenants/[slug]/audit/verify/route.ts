import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { auditVerifyQuery, verificationView } from "@/lib/audit/audit-schemas";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { parseInput } from "@/lib/errors/validation";

/**
 * Verifies the tenant's hash chain (optionally the part written between
 * `from` and `to`): `status` valid, broken (with the first broken entry and
 * why) or empty. The same check as `mg audit verify`.
 */
export const GET = withTenantRoute(
  async ({ req, tenant }) => {
    const range = parseInput(auditVerifyQuery, Object.fromEntries(req.nextUrl.searchParams));
    const result = await verifyAuditChain(tenant.id, range);
    return NextResponse.json({ data: verificationView.parse(result) });
  },
  { permission: "audit.read", apiKeys: true },
);
