import { z } from "zod";
import type { AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { AppError } from "../errors/app-error";
import { setTenantStatus } from "../tenants/set-tenant-status";
import { clearTenantQuota, setTenantQuota } from "./set-quota";
import type { QuotaView, SetQuotaInput } from "./quota-schemas";

export type OperatorAuditContext = AuditContext & { actor: { type: "operator" | "system"; id?: string | null } };

async function tenantIdBySlug(slug: string, db: Db): Promise<string> {
  const tenant = await db.tenant.findUnique({ where: { slug }, select: { id: true } });
  if (!tenant) throw new AppError("not_found", `Tenant "${slug}" not found`);
  return tenant.id;
}

/** The platform audit log's copy of an operator's change (the tenant's own trail has the detailed entry). */
async function recordPlatformAction(db: Db, ctx: OperatorAuditContext, action: string, tenantId: string, metadata: Record<string, unknown>) {
  await db.platformAuditLog.create({
    data: {
      action,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id ?? null,
      targetType: "tenant",
      targetId: tenantId,
      requestId: ctx.requestId ?? null,
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent ?? null,
      metadata: metadata as object,
    },
  });
}

export async function operatorSetQuota(slug: string, input: SetQuotaInput, ctx: OperatorAuditContext, db: Db = getDb()): Promise<QuotaView> {
  const tenantId = await tenantIdBySlug(slug, db);
  const quota = await setTenantQuota(tenantId, input, ctx, db);
  await recordPlatformAction(db, ctx, "quota.update", tenantId, { quota });
  return quota;
}

export async function operatorClearQuota(slug: string, ctx: OperatorAuditContext, db: Db = getDb()): Promise<void> {
  const tenantId = await tenantIdBySlug(slug, db);
  await clearTenantQuota(tenantId, ctx, db);
  await recordPlatformAction(db, ctx, "quota.delete", tenantId, {});
}

export const tenantStatusInput = z
  .object({
    status: z.enum(["active", "suspended"]),
    reason: z.string().trim().max(500, "At most 500 characters").optional(),
  })
  .strict();

/** Suspends or resumes a tenant (lib/tenants/set-tenant-status.ts: gateways drop its keys at once). */
export async function operatorSetStatus(
  slug: string,
  status: "active" | "suspended",
  ctx: OperatorAuditContext & { reason?: string },
  db: Db = getDb(),
) {
  const before = await db.tenant.findUnique({ where: { slug }, select: { status: true } });
  const tenant = await setTenantStatus(slug, status, ctx, db);
  if (before?.status !== status) {
    await recordPlatformAction(db, ctx, status === "suspended" ? "tenant.suspend" : "tenant.reactivate", tenant.id, { reason: ctx.reason ?? null });
  }
  return tenant;
}
