import "server-only";
import { z } from "zod";
import { getDb } from "../db/client";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { assertAttemptsAllowed, clearFailures, recordFailure } from "./attempt-limiter";
import { oidcSettings } from "./oidc-provider";
import { verifyPassword } from "./password";
import type { RequestMeta } from "./step-up";
import { recordUserEvent } from "./user-audit";

export type LinkedIdentity = { id: string; issuer: string; email: string | null; createdAt: Date; lastUsedAt: Date | null };

export function listIdentities(userId: string): Promise<LinkedIdentity[]> {
  return getDb().userIdentity.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, issuer: true, email: true, createdAt: true, lastUsedAt: true },
  });
}

const linkInput = z.object({ password: z.string({ message: "Enter your password" }).min(1, "Enter your password").max(1024) });

/**
 * Checks that the signed-in user may start linking the configured provider:
 * OIDC is configured, not linked yet, and they confirm their password (a
 * stolen session alone cannot attach the thief's identity to the account).
 */
export async function authorizeLink(user: { id: string }, raw: unknown, meta: RequestMeta): Promise<void> {
  const settings = oidcSettings();
  if (!settings) throw new AppError("not_found", "Single sign-on is not configured");
  const { password } = parseInput(linkInput, raw);
  const db = getDb();
  const linked = await db.userIdentity.count({ where: { userId: user.id, issuer: settings.issuer } });
  if (linked) throw new AppError("conflict", `Your account is already linked to ${settings.name}`);
  const subjects = [
    { kind: "user" as const, value: user.id },
    { kind: "ip" as const, value: meta.ip },
  ];
  await assertAttemptsAllowed(subjects);
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  if (!row.passwordHash || !(await verifyPassword(row.passwordHash, password))) {
    await recordFailure(subjects);
    await recordUserEvent(db, { userId: user.id, ...meta, action: "identity.link", outcome: "failure", reason: "bad_password" });
    throw new AppError("validation_failed", "password: incorrect", { fields: { password: "This is not your password" } });
  }
  await clearFailures(subjects);
}

/** Unlinks an identity, unless it is the account's only way to sign in. */
export async function unlinkIdentity(user: { id: string }, identityId: string, meta: RequestMeta): Promise<void> {
  const db = getDb();
  await db.$transaction(async (tx) => {
    const identity = await tx.userIdentity.findFirst({ where: { id: identityId, userId: user.id }, select: { id: true, issuer: true } });
    if (!identity) throw new AppError("not_found", "Linked identity not found");
    const row = await tx.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    const others = await tx.userIdentity.count({ where: { userId: user.id, id: { not: identityId } } });
    if (!row.passwordHash && others === 0) {
      throw new AppError("conflict", "This is how you sign in. Set a password before unlinking it.");
    }
    await tx.userIdentity.delete({ where: { id: identity.id } });
    await recordUserEvent(tx, { userId: user.id, ...meta, action: "identity.unlink", target: { type: "user_identity", id: identity.id }, metadata: { issuer: identity.issuer } });
  });
}
