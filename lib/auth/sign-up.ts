import "server-only";
import { getDb } from "../db/client";
import { AppError } from "../errors/app-error";
import { parseInput } from "../errors/validation";
import { assertAttemptsAllowed, recordFailure } from "./attempt-limiter";
import { hashPassword } from "./password";
import { signUpInput } from "./sign-up-schemas";
import { recordUserEvent } from "./user-audit";
import { isUniqueViolation } from "../db/pg-errors";

export type SignUpMeta = { ip: string | null; userAgent: string | null; requestId: string };

/**
 * Creates a password account (argon2id) and audits it in one transaction.
 * Without email verification an existing email cannot be hidden here, so a
 * taken email is a 409 — and counts against the caller's IP, which slows
 * anyone probing for accounts (429 after five in 15 minutes).
 */
export async function signUp(raw: unknown, meta: SignUpMeta): Promise<{ id: string; email: string; name: string }> {
  const subject = { kind: "signup" as const, value: meta.ip };
  await assertAttemptsAllowed([subject]);
  const input = parseInput(signUpInput, raw);
  const passwordHash = await hashPassword(input.password);
  try {
    return await getDb().$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash },
        select: { id: true, email: true, name: true },
      });
      await recordUserEvent(tx, { action: "auth.sign_up", userId: user.id, ...meta, metadata: { method: "password" } });
      return user;
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await recordFailure([subject]);
    throw new AppError("conflict", "email: an account with this email already exists", {
      fields: { email: "An account with this email already exists. Sign in instead." },
    });
  }
}
