import { randomUUID } from "node:crypto";
import { getDb } from "../lib/db/client";
import { totpCodeAt } from "../lib/mfa/totp";

/**
 * Accounts with real TOTP for the auth tests. Modules under test import
 * "server-only": mock it in the test file (`vi.mock("server-only", () => ({}))`).
 */
export async function enrolTotp(userId: string, email = `${userId}@example.test`): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { startEnrollment, confirmEnrollment } = await import("../lib/mfa/enrollment");
  const ctx = { userId, email, sessionId: randomUUID() };
  const { secret } = await startEnrollment(ctx);
  const confirmed = await confirmEnrollment(ctx, await totpCodeAt(secret, Math.floor(Date.now() / 1000)));
  if (!confirmed) throw new Error("could not confirm TOTP enrolment");
  // As if enrolled long ago: the code of the current time step is usable again.
  await forgetLastTotpStep(userId);
  return { secret, recoveryCodes: confirmed.recoveryCodes };
}

export async function forgetLastTotpStep(userId: string): Promise<void> {
  await getDb().userMfa.update({ where: { userId }, data: { totpLastStep: 0n } });
}

export function currentCode(secret: string, offsetSeconds = 0): Promise<string> {
  return totpCodeAt(secret, Math.floor(Date.now() / 1000) + offsetSeconds);
}

/** Forgets every failed-attempt counter (attempt-limiter), between tests. */
export async function resetAttemptCounters(): Promise<void> {
  const { getRedis } = await import("../lib/redis/shared");
  const redis = getRedis();
  const keys = await redis.keys("mg:auth:failures:*");
  if (keys.length) await redis.del(...keys);
}
