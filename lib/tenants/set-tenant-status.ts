import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { announceKeyChange } from "../keys/key-invalidation";

/**
 * Suspends or reactivates a tenant (platform operators). A suspended tenant's
 * keys stop working on every gateway at once, and its members cannot act in it.
 * Idempotent: setting the current status again changes and records nothing.
 */
export async function setTenantStatus(
  slug: string,
  status: "active" | "suspended",
  ctx: AuditContext & { reason?: string },
  db: Db = getDb(),
) {
  const tenant = await db.tenant.findUnique({ where: { slug } });
  if (!tenant) throw new AppError("not_found", `Tenant "${slug}" not found`);
  if (tenant.status === status) return tenant;
  const updated = await withTenant(
    tenant.id,
    async (tx) => {
      const row = await tx.tenant.update({
        where: { id: tenant.id },
        data: { status, suspendedAt: status === "suspended" ? new Date() : null },
      });
      await recordAudit(tx, tenant.id, {
        ...ctx,
        action: status === "suspended" ? "tenant.suspend" : "tenant.reactivate",
        target: { type: "tenant", id: tenant.id },
        metadata: { before: { status: tenant.status }, after: { status }, reason: ctx.reason ?? null },
      });
      return row;
    },
    db,
  );
  await announceKeyChange({ tenantId: tenant.id });
  return updated;
}
