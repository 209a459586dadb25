import { auditContextOf } from "@/lib/auth/api-key-auth";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { auditExportQuery } from "@/lib/audit/audit-schemas";
import { exportAuditEntries } from "@/lib/audit/export-entries";
import { exportDetails, exportFileName, exportResponse } from "@/lib/audit/export-stream";
import { recordAudit } from "@/lib/audit/record-audit";
import { parseInput } from "@/lib/errors/validation";

/**
 * The filtered range as a download, oldest first: JSON Lines (`format=jsonl`,
 * default) or CSV. Streamed page by page, never loaded whole. The export
 * itself is recorded in the trail (`audit.export`).
 */
export const GET = withTenantRoute(
  async (ctx) => {
    const { format, ...filters } = parseInput(auditExportQuery, Object.fromEntries(ctx.req.nextUrl.searchParams));
    await ctx.inTenant((tx) =>
      recordAudit(tx, ctx.tenant.id, {
        ...auditContextOf(ctx),
        action: "audit.export",
        target: { type: "audit_log", id: null },
        metadata: exportDetails(format, filters),
      }),
    );
    return exportResponse(exportAuditEntries(ctx.tenant.id, filters, format), exportFileName("audit", ctx.tenant.slug, format), format);
  },
  { permission: "audit.read", apiKeys: true },
);
