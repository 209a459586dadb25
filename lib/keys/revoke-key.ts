import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import type { ApiKeyView } from "./key-schemas";
import { announceKeyChange } from "./key-invalidation";
import { SECRET_SUMMARY, toKeyView } from "./key-view";

/**
 * Revokes every generation of a key at once. Idempotent: revoking a revoked
 * key changes nothing and writes no second audit entry. The caller publishes
 * the invalidation (after commit) so gateways drop their cached copy.
 */
export async function revokeApiKey(
  tenantId: string,
  keyId: string,
  ctx: AuditContext,
  db: Db = getDb(),
): Promise<ApiKeyView> {
  const key = await withTenant(
    tenantId,
    async (tx) => {
      const found = await tx.apiKey.findFirst({ where: { id: keyId, tenantId }, select: { revokedAt: true } });
      if (!found) throw new AppError("not_found", "API key not found");
      if (!found.revokedAt) {
        await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
        await recordAudit(tx, tenantId, { ...ctx, action: "key.revoke", target: { type: "api_key", id: keyId } });
      }
      return tx.apiKey.findUniqueOrThrow({ where: { id: keyId }, include: { secrets: SECRET_SUMMARY } });
    },
    db,
  );
  await announceKeyChange({ tenantId, keyId });
  return toKeyView(key);
}
