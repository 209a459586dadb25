import "server-only";
import { getDb } from "../db/client";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { assertAttemptsAllowed, clearFailures, recordFailure } from "./attempt-limiter";
import { hashPassword, verifyPassword } from "./password";
import { passwordProblem } from "./password-policy";
import type { SignedInSession } from "./session-user";
import { changePasswordInput } from "./sign-up-schemas";
import { requireStepUp, type RequestMeta } from "./step-up";
import { recordUserEvent } from "./user-audit";
import { revokeOtherSessions, rotateSession, type SessionRecord } from "./user-sessions";

/**
 * Changes (or, for an account that signs in only through OIDC, sets) the
 * password. Changing needs the current password (a wrong one counts as a
 * failed attempt); setting a first one needs a step-up. Every other session
 * ends and this one gets a new identifier, in one transaction with the audit
 * entry. Returns the new session for the caller's cookie.
 */
export async function changePassword(signedIn: SignedInSession, raw: unknown, meta: RequestMeta): Promise<SessionRecord> {
  const { user, session } = signedIn;
  const input = parseInput(changePasswordInput, raw);
  const db = getDb();
  const current = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  const subjects = [
    { kind: "user" as const, value: user.id },
    { kind: "ip" as const, value: meta.ip },
  ];
  if (current.passwordHash) {
    await assertAttemptsAllowed(subjects);
    if (!(await verifyPassword(current.passwordHash, input.currentPassword ?? ""))) {
      await recordFailure(subjects);
      await recordUserEvent(db, { userId: user.id, ...meta, action: "auth.password_change", outcome: "failure", reason: "bad_current_password" });
      throw new AppError("validation_failed", "currentPassword: incorrect", { fields: { currentPassword: "This is not your current password" } });
    }
    await clearFailures(subjects);
  } else {
    requireStepUp({ session });
  }
  const problem = passwordProblem(input.newPassword, { email: user.email, name: user.name });
  if (problem) throw new AppError("validation_failed", `newPassword: ${problem}`, { fields: { newPassword: problem } });
  if (current.passwordHash && (await verifyPassword(current.passwordHash, input.newPassword))) {
    throw new AppError("validation_failed", "newPassword: unchanged", { fields: { newPassword: "Choose a password different from the current one" } });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const next = await rotateSession(tx, session.id, { reason: "password_change", ip: meta.ip, userAgent: meta.userAgent });
    if (!next) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
    const ended = await revokeOtherSessions(tx, user.id, next.id, "password_change");
    await recordUserEvent(tx, {
      userId: user.id,
      ...meta,
      action: current.passwordHash ? "auth.password_change" : "auth.password_set",
      metadata: { other_sessions_ended: ended },
    });
    return next;
  });
}
