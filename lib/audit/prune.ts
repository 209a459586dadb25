import { createPrismaClient, type Db } from "../db/client";
import { getConfig } from "../config/env";
import { withTenant } from "../db/tenant-scope";

const globalForRetention = globalThis as unknown as { __modelgateRetentionDb?: Db };

/**
 * A client connected as modelgate_retention (RETENTION_DATABASE_URL): the one
 * role the audit triggers let delete audit entries. Row-level security still
 * scopes it to one tenant per transaction.
 */
export function getRetentionDb(): Db {
  globalForRetention.__modelgateRetentionDb ??= createPrismaClient({ connectionString: getConfig().RETENTION_DATABASE_URL, max: 2 });
  return globalForRetention.__modelgateRetentionDb;
}

/**
 * Removes up to `limit` of the tenant's oldest audit entries that lie below
 * its newest signed checkpoint whose entry is older than `olderThan`. The
 * checkpointed entry itself stays, so verification starts there (its hash is
 * vouched for by the signature). Only ever a prefix of the chain; the
 * database refuses anything else (triggers of migration
 * 20261126050100_audit_chain). Returns how many entries were removed: 0 when
 * no checkpoint is old enough yet.
 */
export async function pruneAuditEntries(tenantId: string, olderThan: Date, limit: number, db: Db = getRetentionDb()): Promise<number> {
  if (!Number.isInteger(limit) || limit < 1) return 0;
  return withTenant(
    tenantId,
    async (tx) => {
      const [anchor] = await tx.$queryRaw<{ seq: bigint }[]>`
        SELECT c.seq FROM audit_checkpoints c
        JOIN audit_logs a ON a.tenant_id = c.tenant_id AND a.seq = c.seq
        WHERE c.tenant_id = ${tenantId}::uuid AND a.created_at < ${olderThan}
        ORDER BY c.seq DESC LIMIT 1`;
      if (!anchor) return 0;
      const [first] = await tx.$queryRaw<{ lo: bigint | null }[]>`SELECT min(seq) AS lo FROM audit_logs WHERE tenant_id = ${tenantId}::uuid`;
      if (first?.lo == null || first.lo >= anchor.seq) return 0;
      const upper = first.lo + BigInt(limit) < anchor.seq ? first.lo + BigInt(limit) : anchor.seq;
      return tx.$executeRaw`DELETE FROM audit_logs WHERE tenant_id = ${tenantId}::uuid AND seq >= ${first.lo} AND seq < ${upper}`;
    },
    db,
  );
}
