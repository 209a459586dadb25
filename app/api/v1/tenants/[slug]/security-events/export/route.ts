import { auditContextOf } from "@/lib/auth/api-key-auth";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { securityEventExportQuery } from "@/lib/audit/audit-schemas";
import { exportDetails, exportFileName, exportResponse } from "@/lib/audit/export-stream";
import { recordAudit } from "@/lib/audit/record-audit";
import { exportSecurityEvents } from "@/lib/audit/security-events";
import { parseInput } from "@/lib/errors/validation";

/**
 * The security log's filtered range as a download, oldest first: JSON Lines
 * (`format=jsonl`, default) or CSV, streamed page by page. The export is
 * recorded in the audit trail (`security_log.export`), as audit exports are.
 */
export const GET = withTenantRoute(
  async (ctx) => {
    const { format, ...filters } = parseInput(securityEventExportQuery, Object.fromEntries(ctx.req.nextUrl.searchParams));
    await ctx.inTenant((tx) =>
      recordAudit(tx, ctx.tenant.id, {
        ...auditContextOf(ctx),
        action: "security_log.export",
        target: { type: "security_event", id: null },
        metadata: exportDetails(format, filters),
      }),
    );
    return exportResponse(exportSecurityEvents(ctx.tenant.id, filters, format), exportFileName("security", ctx.tenant.slug, format), format);
  },
  { permission: "audit.read", apiKeys: true },
);
