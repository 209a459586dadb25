import "server-only";
import { z } from "zod";
import { getDb } from "../db/client";
import { createLogger } from "../log/logger";
import { dummyPasswordHash, verifyPassword } from "./password";

const credentialsInput = z.object({
  email: z.string().trim().toLowerCase().min(3).max(254),
  password: z.string().min(1).max(1024),
});

export type VerifiedUser = { id: string; email: string; name: string; isOperator: boolean };

const log = createLogger("web").child({ component: "sign-in" });

/**
 * Email + password sign-in. Every failure (malformed input, unknown email,
 * account without a password, wrong password) runs one argon2id verification
 * and returns the same `null`, so neither the answer nor its timing tells
 * whether an account exists. Unknown emails are not logged: people type
 * passwords into the email field.
 */
export async function verifyCredentials(raw: unknown): Promise<VerifiedUser | null> {
  const parsed = credentialsInput.safeParse(raw);
  const user = parsed.success
    ? await getDb().user.findUnique({
        where: { email: parsed.data.email },
        omit: { passwordHash: false },
      })
    : null;
  const hash = user?.passwordHash ?? (await dummyPasswordHash());
  const password = parsed.success ? parsed.data.password : "";
  const valid = await verifyPassword(hash, password);
  if (!user?.passwordHash || !valid) {
    log.info({ event: "auth.sign_in_failed", user_id: user?.id ?? null }, "sign-in failed");
    return null;
  }
  log.info({ event: "auth.sign_in", user_id: user.id }, "signed in");
  return { id: user.id, email: user.email, name: user.name, isOperator: user.isOperator };
}
