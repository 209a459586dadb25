import "server-only";
import { z } from "zod";
import { getDb } from "../db/client";
import { createLogger } from "../log/logger";
import { verifySecondFactor, type SecondFactorInput } from "../mfa/second-factor";
import { checkAttempts, clearFailures, recordFailure, type AttemptSubject } from "./attempt-limiter";
import { authRequest, type AuthRequestContext } from "./auth-request-context";
import { dummyPasswordHash, verifyPassword } from "./password";
import { recordUserEvent } from "./user-audit";

const credentialsInput = z.object({
  email: z.string().trim().toLowerCase().min(3).max(254),
  password: z.string().min(1).max(1024),
  code: z.string().trim().max(32).optional(),
  recoveryCode: z.string().trim().max(64).optional(),
});

export type VerifiedUser = {
  id: string;
  email: string;
  name: string;
  isOperator: boolean;
  authMethod: "password";
  /** Set when the sign-in included the second factor (it counts as a step-up). */
  mfaVerifiedAt: Date | null;
};

/**
 * Why a sign-in was refused beyond "wrong email or password" (which is a plain
 * `null`). next-auth passes a thrown error's message to the sign-in page as
 * `?error=`, so these are short codes the form turns into words.
 */
export const SIGN_IN_ERRORS = {
  rateLimited: "RateLimited",
  mfaRequired: "MfaRequired",
  mfaInvalid: "MfaInvalid",
  mfaReused: "MfaReused",
} as const;

const log = createLogger("web").child({ component: "sign-in" });

/**
 * Email + password (+ the second factor once enrolled) sign-in. Every
 * password failure — malformed input, unknown email, account without a
 * password, wrong password — runs one argon2id verification and returns the
 * same `null`, so neither the answer nor its timing tells whether an account
 * exists. Failures count per typed email and per IP (attempt-limiter); a
 * locked-out email is refused before any check, known or not. Unknown emails
 * are neither logged nor audited by address: people type passwords into the
 * email field.
 */
export async function verifyCredentials(raw: unknown, meta: AuthRequestContext = authRequest()): Promise<VerifiedUser | null> {
  const parsed = credentialsInput.safeParse(raw);
  const subjects: AttemptSubject[] = [
    { kind: "email", value: parsed.success ? parsed.data.email : null },
    { kind: "ip", value: meta.ip },
  ];
  if ((await checkAttempts(subjects)).limited) throw new Error(SIGN_IN_ERRORS.rateLimited);

  const db = getDb();
  const user = parsed.success
    ? await db.user.findUnique({ where: { email: parsed.data.email }, omit: { passwordHash: false } })
    : null;
  const hash = user?.passwordHash ?? (await dummyPasswordHash());
  const valid = await verifyPassword(hash, parsed.success ? parsed.data.password : "");
  const event = { userId: user?.id ?? null, ip: meta.ip, userAgent: meta.userAgent, requestId: meta.requestId };
  if (!user?.passwordHash || !valid) {
    await recordFailure(subjects);
    await recordUserEvent(db, { ...event, action: "auth.sign_in", outcome: "failure", reason: "bad_credentials", metadata: { method: "password" } });
    log.info({ event: "auth.sign_in_failed", user_id: user?.id ?? null }, "sign-in failed");
    return null;
  }

  let mfaVerifiedAt: Date | null = null;
  const mfa = await db.userMfa.findUnique({ where: { userId: user.id }, select: { totpEnabledAt: true } });
  if (mfa?.totpEnabledAt) {
    const data = parsed.success ? parsed.data : null;
    const input: SecondFactorInput | null = data?.code ? { code: data.code } : data?.recoveryCode ? { recoveryCode: data.recoveryCode } : null;
    if (!input) throw new Error(SIGN_IN_ERRORS.mfaRequired);
    const userSubject: AttemptSubject = { kind: "user", value: user.id };
    if ((await checkAttempts([userSubject])).limited) throw new Error(SIGN_IN_ERRORS.rateLimited);
    const check = await db.$transaction((tx) => verifySecondFactor(tx, user.id, input));
    if (!check.ok) {
      await recordFailure([...subjects, userSubject]);
      await recordUserEvent(db, { ...event, action: "auth.sign_in", outcome: "failure", reason: `mfa_${check.reason}`, metadata: { method: "password" } });
      throw new Error(check.reason === "reused" ? SIGN_IN_ERRORS.mfaReused : SIGN_IN_ERRORS.mfaInvalid);
    }
    mfaVerifiedAt = new Date();
    await clearFailures([userSubject]);
  }
  await clearFailures(subjects);
  log.info({ event: "auth.sign_in", user_id: user.id }, "signed in");
  // The sign-in's audit entry is written with its session (auth-options, jwt callback).
  return { id: user.id, email: user.email, name: user.name, isOperator: user.isOperator, authMethod: "password", mfaVerifiedAt };
}
