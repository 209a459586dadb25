import { getDb, type Db } from "../db/client";
import { AppError } from "../errors/app-error";

export type OperatorGrantContext = { actor: { type: "system" | "operator"; id: string }; requestId?: string | null };

/**
 * Makes a user a platform operator (or takes it away), recorded in the
 * platform audit log in the same transaction. Idempotent: granting what is
 * already held changes and records nothing. The change applies on the user's
 * next request (sessions read users.is_operator fresh every time).
 */
export async function setOperator(email: string, isOperator: boolean, ctx: OperatorGrantContext, db: Db = getDb()) {
  const normalized = email.trim().toLowerCase();
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: normalized }, select: { id: true, email: true, isOperator: true } });
    if (!user) throw new AppError("not_found", `No user with email ${normalized}`);
    if (user.isOperator === isOperator) return { ...user, changed: false };
    const updated = await tx.user.update({ where: { id: user.id }, data: { isOperator }, select: { id: true, email: true, isOperator: true } });
    await tx.platformAuditLog.create({
      data: {
        action: isOperator ? "operator.grant" : "operator.revoke",
        actorType: ctx.actor.type,
        actorId: ctx.actor.id,
        targetType: "user",
        targetId: user.id,
        requestId: ctx.requestId ?? null,
      },
    });
    return { ...updated, changed: true };
  });
}
