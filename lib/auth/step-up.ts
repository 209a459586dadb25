import "server-only";
import { getConfig } from "../config/env";
import { getDb } from "../db/client";
import { AppError } from "../errors/app-error";
import { secondFactorMessage, verifySecondFactor, type SecondFactorInput } from "../mfa/second-factor";
import { assertAttemptsAllowed, clearFailures, recordFailure, type AttemptSubject } from "./attempt-limiter";
import type { ActiveSession, SignedInSession } from "./session-user";
import { recordUserEvent } from "./user-audit";
import { rotateSession, type SessionRecord } from "./user-sessions";

/**
 * Step-up: sensitive actions (model configuration and backend secrets, key
 * scopes and IP rules, retention and quotas, member roles and invitations,
 * MFA changes, tenant deletion, data export) need an MFA verification of this
 * session younger than STEP_UP_WINDOW_SECONDS. The time is the server-side
 * session's `step_up_at`, never a client claim.
 */
export function stepUpWindowSeconds(): number {
  return getConfig().STEP_UP_WINDOW_SECONDS;
}

export function hasFreshStepUp(session: Pick<ActiveSession, "stepUpAt">, now = Date.now()): boolean {
  const at = session.stepUpAt?.getTime();
  return at !== undefined && at <= now + 5_000 && now - at < stepUpWindowSeconds() * 1000;
}

/**
 * The gate of every sensitive action, for route wrappers (`stepUp: true`) and
 * for handlers that decide per request. Synchronous on purpose: it throws, so
 * a forgotten `await` cannot turn it into a no-op.
 *   - no signed-in session (an API key): 403 `forbidden`;
 *   - no MFA enrolled: 403 `mfa_enrollment_required`;
 *   - no verification within the window: 401 `step_up_required`.
 */
export function requireStepUp(ctx: { session?: ActiveSession | null }): void {
  const session = ctx.session;
  if (!session) {
    throw new AppError("forbidden", "This action needs a signed-in console session with a recent MFA verification");
  }
  if (!session.mfaEnabled) {
    throw new AppError(
      "mfa_enrollment_required",
      "Set up two-factor authentication before making sensitive changes (Account → Security)",
    );
  }
  if (!hasFreshStepUp(session)) {
    throw new AppError("step_up_required", "Confirm it's you: enter a code from your authenticator app to continue");
  }
}

export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string };

/**
 * Verifies a TOTP or recovery code for the signed-in session and, when it is
 * good, replaces the session by a new one (new identifier) stamped with the
 * verification time — code consumed, session rotated and audit entry written
 * in one transaction. A wrong or replayed code counts as a failed attempt
 * (per user and per IP; 429 after five in 15 minutes) and is audited.
 */
export async function stepUp(signedIn: SignedInSession, input: SecondFactorInput, meta: RequestMeta): Promise<SessionRecord> {
  const { user, session } = signedIn;
  const subjects: AttemptSubject[] = [
    { kind: "user", value: user.id },
    { kind: "ip", value: meta.ip },
  ];
  await assertAttemptsAllowed(subjects);
  if (!session.mfaEnabled) {
    throw new AppError("mfa_enrollment_required", "Set up two-factor authentication first (Account → Security)");
  }
  const db = getDb();
  const event = { userId: user.id, ip: meta.ip, userAgent: meta.userAgent, requestId: meta.requestId };
  const outcome = await db.$transaction(async (tx) => {
    const check = await verifySecondFactor(tx, user.id, input);
    if (!check.ok) return { check } as const;
    const next = await rotateSession(tx, session.id, { stepUpAt: new Date(), ip: meta.ip, userAgent: meta.userAgent, reason: "step_up" });
    if (!next) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
    await recordUserEvent(tx, { ...event, action: "auth.step_up", metadata: { method: check.method } });
    return { check, next } as const;
  });
  if (!outcome.check.ok) {
    await recordFailure(subjects);
    await recordUserEvent(db, { ...event, action: "auth.step_up", outcome: "failure", reason: outcome.check.reason });
    throw new AppError("invalid_mfa_code", secondFactorMessage(outcome.check.reason, input));
  }
  await clearFailures(subjects);
  return outcome.next!;
}
