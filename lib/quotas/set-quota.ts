import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { announceKeyChange } from "../keys/key-invalidation";
import { quotaPolicyOf } from "./quota-policy";
import { quotaOutput, setQuotaInput, type QuotaView, type SetQuotaInput } from "./quota-schemas";

const viewOf = (row: Parameters<typeof quotaPolicyOf>[0], timeZone: string): QuotaView | null => {
  const policy = quotaPolicyOf(row, timeZone);
  return policy && quotaOutput.parse(policy);
};

/**
 * Sets (or replaces) a tenant's quota, and optionally its time zone (platform
 * operators, behind step-up; the `mg` CLI). Audited in the same transaction
 * with before and after. Gateways reload the tenant's key records right after
 * (the key invalidation channel), so the new limits apply within about a
 * second; use already counted in the current period stays counted.
 */
export async function setTenantQuota(tenantId: string, input: SetQuotaInput, ctx: AuditContext, db: Db = getDb()): Promise<QuotaView> {
  const parsed = parseInput(setQuotaInput, input);
  const view = await withTenant(
    tenantId,
    async (tx) => {
      const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, include: { quota: true } });
      if (!tenant) throw new AppError("not_found", "Tenant not found");
      const timeZone = parsed.timeZone ?? tenant.timeZone;
      if (timeZone !== tenant.timeZone) await tx.tenant.update({ where: { id: tenantId }, data: { timeZone } });
      const data = {
        period: parsed.period,
        requestsLimit: parsed.requests ? BigInt(parsed.requests.limit) : null,
        requestsHard: parsed.requests?.hard ?? false,
        tokensLimit: parsed.tokens ? BigInt(parsed.tokens.limit) : null,
        tokensHard: parsed.tokens?.hard ?? false,
      };
      const row = await tx.tenantQuota.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
      const before = viewOf(tenant.quota, tenant.timeZone);
      const after = viewOf(row, timeZone);
      await recordAudit(tx, tenantId, {
        ...ctx,
        action: "quota.update",
        target: { type: "tenant", id: tenantId },
        metadata: { before, after },
      });
      return after!;
    },
    db,
  );
  await announceKeyChange({ tenantId });
  return view;
}

/** Removes a tenant's quota (no limits from now on). Idempotent; audited when something changed. */
export async function clearTenantQuota(tenantId: string, ctx: AuditContext, db: Db = getDb()): Promise<void> {
  const changed = await withTenant(
    tenantId,
    async (tx) => {
      const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, include: { quota: true } });
      if (!tenant) throw new AppError("not_found", "Tenant not found");
      if (!tenant.quota) return false;
      await tx.tenantQuota.delete({ where: { tenantId } });
      await recordAudit(tx, tenantId, {
        ...ctx,
        action: "quota.delete",
        target: { type: "tenant", id: tenantId },
        metadata: { before: viewOf(tenant.quota, tenant.timeZone), after: null },
      });
      return true;
    },
    db,
  );
  if (changed) await announceKeyChange({ tenantId });
}
