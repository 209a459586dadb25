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

/**
 * Writes one audit entry through the caller's tenant-scoped transaction, so the
 * entry commits if and only if the change it describes commits. The tenant is
 * the one the transaction is scoped to; RLS refuses any other.
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
      metadata: (entry.metadata ?? {}) as object,
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
