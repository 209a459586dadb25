import type { TxClient } from "../db/client";
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
 * The database links it into the tenant's hash chain (seq, prev_hash,
 * entry_hash, created_at) in its insert trigger, under a transaction-scoped
 * advisory lock on the chain: a second transaction writing to the same
 * tenant's trail waits here until this one ends. `metadata` is the entry's
 * `details` (before/after of a change); secret-looking fields are redacted.
 */
export async function recordAudit(tx: TxClient, tenantId: string, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      tenantId,
      action: entry.action,
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      outcome: entry.outcome ?? "success",
      ip: entry.ip ?? null,
      userAgent: entry.userAgent ?? null,
      requestId: entry.requestId ?? null,
      metadata: redactDetails(entry.metadata ?? {}) as object,
    },
  });
}

/** Who did it and from where: passed from the route or CLI into every change. */
export type AuditContext = {
  actor: Actor;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};
