import type { Db } from "../db/client";
import { getDb } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { getSigningKey, signCheckpoint, type AuditSigningKey } from "./signing-key";

export type CheckpointView = {
  tenantId: string;
  seq: number;
  entryHash: string;
  signedAt: string;
  keyId: string;
  signature: string;
};

type CheckpointRow = { tenantId: string; seq: bigint; entryHash: string; signedAt: Date; keyId: string; signature: string };

export const checkpointView = (c: CheckpointRow): CheckpointView => ({
  tenantId: c.tenantId,
  seq: Number(c.seq),
  entryHash: c.entryHash,
  signedAt: c.signedAt.toISOString(),
  keyId: c.keyId,
  signature: c.signature,
});

/**
 * Signs the tenant's chain head (tenant, seq, entry_hash, time) with
 * AUDIT_SIGNING_KEY and stores it. Idempotent: when the newest checkpoint
 * already covers the head, that one is returned and nothing is written (so a
 * retried or repeated job adds nothing). `null` when the tenant has no entries.
 */
export async function createCheckpoint(
  tenantId: string,
  opts: { db?: Db; key?: AuditSigningKey } = {},
): Promise<{ checkpoint: CheckpointView; created: boolean } | null> {
  const key = opts.key ?? getSigningKey();
  return withTenant(
    tenantId,
    async (tx) => {
      const head = await tx.auditLog.findFirst({ where: { tenantId }, orderBy: { seq: "desc" }, select: { seq: true, entryHash: true } });
      if (!head) return null;
      const existing = await tx.auditCheckpoint.findUnique({ where: { tenantId_seq: { tenantId, seq: head.seq } } });
      if (existing) return { checkpoint: checkpointView(existing), created: false };
      const signedAt = new Date();
      const claim = { tenantId, seq: Number(head.seq), entryHash: head.entryHash, signedAt };
      const row = await tx.auditCheckpoint.create({
        data: { tenantId, seq: head.seq, entryHash: head.entryHash, signedAt, keyId: key.keyId, signature: signCheckpoint(claim, key) },
      });
      return { checkpoint: checkpointView(row), created: true };
    },
    opts.db ?? getDb(),
  );
}

/** Checkpoints every tenant's head (the scheduled job). Returns how many were new. */
export async function checkpointAllTenants(opts: { db?: Db; key?: AuditSigningKey } = {}): Promise<{ tenants: number; created: number }> {
  const db = opts.db ?? getDb();
  const tenants = await db.tenant.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } });
  let created = 0;
  for (const t of tenants) {
    const r = await createCheckpoint(t.id, { ...opts, db });
    if (r?.created) created++;
  }
  return { tenants: tenants.length, created };
}

/** The tenant's checkpoints, newest first (for download). */
export async function listCheckpoints(tenantId: string, opts: { db?: Db; limit?: number } = {}): Promise<CheckpointView[]> {
  const rows = await withTenant(
    tenantId,
    (tx) => tx.auditCheckpoint.findMany({ where: { tenantId }, orderBy: { seq: "desc" }, take: opts.limit ?? 1000 }),
    opts.db ?? getDb(),
  );
  return rows.map(checkpointView);
}
