import { auditContextOf } from "@/lib/auth/api-key-auth";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { auditExportQuery } from "@/lib/audit/audit-schemas";
import { EXPORT_CONTENT_TYPES, exportAuditEntries, exportFileName } from "@/lib/audit/export-entries";
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
        metadata: { format, filters: Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])) },
      }),
    );
    return new Response(exportAuditEntries(ctx.tenant.id, filters, format), {
      headers: {
        "content-type": EXPORT_CONTENT_TYPES[format],
        "content-disposition": `attachment; filename="${exportFileName(ctx.tenant.slug, format)}"`,
        "cache-control": "no-store",
      },
    });
  },
  { permission: "audit.read", apiKeys: true },
);
