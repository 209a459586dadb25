import type { Db, TxClient } from "../db/client";
import { getDb } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { recordAudit, type AuditContext } from "./record-audit";
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
 * AUDIT_SIGNING_KEY and stores it. The head is read under the chain's lock
 * (audit_chain_head), so no entry lands between reading and signing it and
 * two signers of one head wait for each other instead of colliding.
 * Idempotent: when the head is already signed, that checkpoint is returned and
 * nothing is written (a retried job, a second click). `null` when the tenant
 * has no entries.
 *
 * With `audit` (someone asked for it: the API, the console) the request is
 * recorded as `audit.checkpoint_create` first and the checkpoint signs that
 * entry too, so the head it leaves behind is signed: asking again without any
 * other change answers the same checkpoint instead of growing the trail.
 */
export async function createCheckpoint(
  tenantId: string,
  opts: { db?: Db; key?: AuditSigningKey; audit?: AuditContext } = {},
): Promise<{ checkpoint: CheckpointView; created: boolean } | null> {
  const key = opts.key ?? getSigningKey();
  return withTenant(
    tenantId,
    async (tx) => {
      let head = await lockedHead(tx, tenantId);
      if (!head) return null;
      const existing = await tx.auditCheckpoint.findUnique({ where: { tenantId_seq: { tenantId, seq: head.seq } } });
      if (existing) return { checkpoint: checkpointView(existing), created: false };
      if (opts.audit) {
        const seq = Number(head.seq) + 1;
        await recordAudit(tx, tenantId, {
          ...opts.audit,
          action: "audit.checkpoint_create",
          target: { type: "audit_checkpoint", id: String(seq) },
          metadata: { after: { seq, keyId: key.keyId } },
        });
        head = await lockedHead(tx, tenantId);
        if (!head) return null;
      }
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

/** The chain's newest entry, read after taking the chain's transaction-scoped lock (held until commit). */
async function lockedHead(tx: TxClient, tenantId: string): Promise<{ seq: bigint; entryHash: string } | null> {
  const [head] = await tx.$queryRaw<{ seq: bigint; entry_hash: string }[]>`SELECT seq, entry_hash FROM audit_chain_head(${tenantId.toLowerCase()}::uuid)`;
  return head ? { seq: head.seq, entryHash: head.entry_hash } : null;
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
