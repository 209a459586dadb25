import { randomUUID } from "node:crypto";
import type { TxClient } from "../db/client";
import { computeEntryHash, GENESIS_HASH } from "./chain-format";
import type { ActorType, AuditOutcome } from "../db/generated/enums";

export type Actor = { type: ActorType; id?: string | null };

export type AuditEntry = {
  /** `resource.verb`, e.g. `tenant.create`, `member.role_change`. */
  action: string;
  actor: Actor;
  target?: { type: string; id?: string | null };
  outcome?: AuditOutcome;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  metadata?: Record<string, unknown>;
};

/** Detail fields that could carry a secret: their values never enter the trail. */
const SECRET_FIELD = /(password|secret|token|totp|otp|recovery|authorization|cookie|credential|private|^key$|^apikey$|hash$|ciphertext)/i;

/** `metadata` with every secret-looking field's value replaced by "[redacted]", at any depth. */
export function redactDetails(value: unknown, depth = 0): unknown {
  if (depth > 16 || value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redactDetails(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && v !== null && v !== undefined ? "[redacted]" : redactDetails(v, depth + 1);
  }
  return out;
}

/**
 * Writes one audit entry through the caller's tenant-scoped transaction, so the
 * entry commits if and only if the change it describes commits. The tenant is
 * the one the transaction is scoped to; RLS refuses any other.
 *
 * The entry is linked into the tenant's hash chain (README "Audit trail"):
 * this takes the chain's transaction-scoped advisory lock, reads the head,
 * and writes seq = head + 1, prev_hash = the head's hash, and entry_hash over
 * the entry's RFC 8785 form. A second transaction writing to the same
 * tenant's trail waits at the lock until this one ends, so the chain never
 * forks; the database's insert trigger checks the link again. `metadata` is
 * the entry's `details` (before/after of a change); secret-looking fields are
 * redacted.
 */
export async function recordAudit(tx: TxClient, tenantId: string, entry: AuditEntry): Promise<void> {
  await recordAuditEntries(tx, tenantId, [entry]);
}

/** Several entries of one tenant in one statement (same guarantees as recordAudit); returns their seqs. */
export async function recordAuditEntries(tx: TxClient, tenantId: string, entries: AuditEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  const tenant = tenantId.toLowerCase();
  // Lock (AUDIT_LOCK_CLASS, hashtext(tenant)), then read the head after it: one round trip.
  const [head] = await tx.$queryRaw<{ seq: bigint; entry_hash: string }[]>`SELECT seq, entry_hash FROM audit_chain_head(${tenant}::uuid)`;
  let seq = head ? Number(head.seq) : 0;
  let prevHash = head?.entry_hash ?? GENESIS_HASH;
  const createdAt = new Date();
  const rows = entries.map((entry) => {
    seq += 1;
    const row = {
      id: randomUUID(),
      tenantId: tenant,
      seq,
      createdAt,
      action: entry.action,
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      outcome: entry.outcome ?? "success",
      ip: entry.ip ?? null,
      userAgent: entry.userAgent ?? null,
      requestId: entry.requestId ?? null,
      // Exactly what jsonb will hold (JSON round trip), so the hash covers the stored value.
      details: JSON.parse(JSON.stringify(redactDetails(entry.metadata ?? {}))) as Record<string, unknown>,
    };
    const entryHash = computeEntryHash(prevHash, row);
    const stored = {
      id: row.id, seq, created_at: createdAt.toISOString(), action: row.action, actor_type: row.actorType, actor_id: row.actorId,
      target_type: row.targetType, target_id: row.targetId, outcome: row.outcome, ip: row.ip, user_agent: row.userAgent,
      request_id: row.requestId, metadata: row.details, prev_hash: prevHash, entry_hash: entryHash,
    };
    prevHash = entryHash;
    return stored;
  });
  // One statement, one parameter: the rows as JSON, expanded by the database
  // (a model query, or one array parameter per column, costs far more on the
  // client than the insert itself on this hot path).
  const payload = JSON.stringify(rows);
  await tx.$executeRaw`INSERT INTO audit_logs (id, tenant_id, seq, created_at, action, actor_type, actor_id, target_type, target_id,
      outcome, ip, user_agent, request_id, metadata, prev_hash, entry_hash)
    SELECT u.id, ${tenant}::uuid, u.seq, u.created_at, u.action, u.actor_type, u.actor_id, u.target_type, u.target_id,
      u.outcome, u.ip, u.user_agent, u.request_id, u.metadata, u.prev_hash, u.entry_hash
    FROM json_to_recordset(${payload}::json) AS u(id uuid, seq bigint, created_at timestamptz, action text, actor_type "ActorType",
      actor_id text, target_type text, target_id text, outcome "AuditOutcome", ip text, user_agent text, request_id text,
      metadata jsonb, prev_hash text, entry_hash text)`;
  return rows.map((r) => r.seq);
}

/** Who did it and from where: passed from the route or CLI into every change. */
export type AuditContext = {
  actor: Actor;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};
