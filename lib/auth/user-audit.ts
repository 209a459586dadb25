import "server-only";
import type { TxClient } from "../db/client";
import type { AuditOutcome } from "../db/generated/enums";

/**
 * A user-level security event — sign-in, sign-up, MFA, step-up, password,
 * linked identities — written to the platform audit log (these are not
 * tenant-scoped). Pass the transaction of the change it describes, so the
 * entry commits if and only if the change does.
 */
export type UserEvent = {
  /** `auth.sign_in`, `mfa.enable`, `auth.step_up`... */
  action: string;
  /** The user acting; null for a failed sign-in of an unknown account. */
  userId: string | null;
  outcome?: AuditOutcome;
  target?: { type: string; id?: string | null };
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  reason?: string | null;
  metadata?: Record<string, unknown>;
};

export async function recordUserEvent(tx: Pick<TxClient, "platformAuditLog">, event: UserEvent): Promise<void> {
  await tx.platformAuditLog.create({
    data: {
      action: event.action,
      actorType: "user",
      actorId: event.userId,
      targetType: event.target?.type ?? (event.userId ? "user" : null),
      targetId: event.target?.id ?? event.userId,
      outcome: event.outcome ?? "success",
      reason: event.reason ?? null,
      ip: event.ip ?? null,
      userAgent: event.userAgent ?? null,
      requestId: event.requestId ?? null,
      metadata: (event.metadata ?? {}) as object,
    },
  });
}
