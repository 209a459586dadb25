import "server-only";
import type { TxClient } from "../db/client";
import { getHmacKeys } from "../crypto/key-provider";
import { hashRecoveryCode, matchRecoveryCode, normalizeRecoveryCode } from "./recovery-codes";
import { checkTotp } from "./totp";
import { isLegacyTotpEnvelope, openTotpSecret, sealTotpSecret } from "./totp-secret-store";

export type SecondFactorInput = { code: string } | { recoveryCode: string };

export type SecondFactorResult =
  | { ok: true; method: "totp" | "recovery_code" }
  | { ok: false; reason: "not_enrolled" | "invalid" | "reused" };

/**
 * Checks a TOTP code or a recovery code of `userId` and, when it is good,
 * consumes it in `tx`: a TOTP time step is stored by
 * `UPDATE ... WHERE totp_last_step < step` (so of two concurrent requests with
 * one code, exactly one wins, and the code is refused for the rest of its
 * window); a recovery code is marked used by `... WHERE used_at IS NULL`.
 */
export async function verifySecondFactor(tx: TxClient, userId: string, input: SecondFactorInput): Promise<SecondFactorResult> {
  const mfa = await tx.userMfa.findUnique({
    where: { userId },
    select: { totpSecret: true, totpEnabledAt: true, totpLastStep: true },
  });
  if (!mfa?.totpSecret || !mfa.totpEnabledAt) return { ok: false, reason: "not_enrolled" };

  if ("code" in input) {
    const secret = await openTotpSecret(userId, "totp_secret", mfa.totpSecret, tx);
    const check = await checkTotp(secret, input.code);
    if (!check.valid) return { ok: false, reason: "invalid" };
    const step = BigInt(check.timeStep);
    if (step <= mfa.totpLastStep) return { ok: false, reason: "reused" };
    const { count } = await tx.userMfa.updateMany({
      where: { userId, totpLastStep: { lt: step } },
      data: {
        totpLastStep: step,
        // A secret sealed before envelope encryption moves onto the platform data key.
        ...(isLegacyTotpEnvelope(mfa.totpSecret) ? { totpSecret: await sealTotpSecret(userId, "totp_secret", secret, tx) } : {}),
      },
    });
    return count === 1 ? { ok: true, method: "totp" } : { ok: false, reason: "reused" };
  }

  const normalized = normalizeRecoveryCode(input.recoveryCode);
  if (!normalized) return { ok: false, reason: "invalid" };
  const all = await tx.userRecoveryCode.findMany({
    where: { userId },
    select: { id: true, codeHash: true, usedAt: true },
  });
  // Codes hashed under a master key since rotated out still match while it is in MASTER_KEY_PREVIOUS.
  let index = -1;
  for (const key of getHmacKeys("recovery-codes")) {
    index = matchRecoveryCode(hashRecoveryCode(key, userId, normalized), all.map((c) => c.codeHash));
    if (index !== -1) break;
  }
  if (index === -1) return { ok: false, reason: "invalid" };
  const { count } = await tx.userRecoveryCode.updateMany({
    where: { id: all[index]!.id, usedAt: null },
    data: { usedAt: new Date() },
  });
  return count === 1 ? { ok: true, method: "recovery_code" } : { ok: false, reason: "reused" };
}

/** What the user is told for a refused code (never whether the account exists). */
export function secondFactorMessage(reason: "not_enrolled" | "invalid" | "reused", input: SecondFactorInput): string {
  if (reason === "not_enrolled") return "Two-factor authentication is not set up for this account";
  if (reason === "reused") {
    return "code" in input
      ? "This code was already used. Wait for the next code from your authenticator app."
      : "This recovery code was already used. Each recovery code works once.";
  }
  return "code" in input ? "That code is not valid. Check your authenticator app and try again." : "That recovery code is not valid.";
}
