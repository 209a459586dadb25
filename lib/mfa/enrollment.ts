import "server-only";
import QRCode from "qrcode";
import { getHmacKey } from "../crypto/key-provider";
import { getDb, type TxClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { recordUserEvent } from "../auth/user-audit";
import { revokeOtherSessions } from "../auth/user-sessions";
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from "./recovery-codes";
import { checkTotp, generateTotpSecret, totpUri } from "./totp";
import { openTotpSecret, sealTotpSecret } from "./totp-secret-store";

/** Who changes MFA, and from where: every change is audited with it. */
export type MfaChangeContext = {
  userId: string;
  email: string;
  /** The session making the change; every other session of the user ends. */
  sessionId: string;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
};

/** An enrolment not confirmed within this time must be started again. */
const PENDING_TTL_MS = 30 * 60 * 1000;

export type EnrollmentStart = { secret: string; otpauthUri: string; qrCodeDataUrl: string };

/**
 * Starts (or restarts) TOTP enrolment: a fresh secret, kept encrypted as the
 * pending secret until a code from it is confirmed. An enrolled TOTP keeps
 * working meanwhile (a reset replaces it only when the new one is confirmed).
 */
export async function startEnrollment(ctx: MfaChangeContext): Promise<EnrollmentStart> {
  const secret = generateTotpSecret();
  const sealed = await sealTotpSecret(ctx.userId, "pending_totp_secret", secret);
  const now = new Date();
  await getDb().$transaction(async (tx) => {
    await tx.userMfa.upsert({
      where: { userId: ctx.userId },
      create: { userId: ctx.userId, pendingTotpSecret: sealed, pendingCreatedAt: now },
      update: { pendingTotpSecret: sealed, pendingCreatedAt: now },
    });
    await recordUserEvent(tx, { ...eventOf(ctx), action: "mfa.enrollment_start" });
  });
  const otpauthUri = totpUri(secret, ctx.email);
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: "M", margin: 1, width: 224 });
  return { secret, otpauthUri, qrCodeDataUrl };
}

/**
 * Confirms enrolment with a code from the pending secret: the secret becomes
 * the user's TOTP (re-sealed for its own column), the code's time step is
 * consumed, ten new recovery codes replace any old ones, and every other
 * session of the user ends — all in one transaction with its audit entry.
 * Returns the recovery codes in clear, the only time they exist so.
 */
export async function confirmEnrollment(ctx: MfaChangeContext, code: string): Promise<{ recoveryCodes: string[] } | null> {
  const db = getDb();
  const row = await db.userMfa.findUnique({
    where: { userId: ctx.userId },
    select: { pendingTotpSecret: true, pendingCreatedAt: true, totpEnabledAt: true },
  });
  if (!row?.pendingTotpSecret || !row.pendingCreatedAt || Date.now() - row.pendingCreatedAt.getTime() > PENDING_TTL_MS) {
    throw new AppError("conflict", "No two-factor setup is in progress, or it expired. Start the setup again.");
  }
  const secret = await openTotpSecret(ctx.userId, "pending_totp_secret", row.pendingTotpSecret);
  const check = await checkTotp(secret, code);
  if (!check.valid) return null;

  const recoveryCodes = generateRecoveryCodes();
  await db.$transaction(async (tx) => {
    const { count } = await tx.userMfa.updateMany({
      where: { userId: ctx.userId, pendingCreatedAt: row.pendingCreatedAt },
      data: {
        totpSecret: await sealTotpSecret(ctx.userId, "totp_secret", secret, tx),
        totpEnabledAt: new Date(),
        totpLastStep: BigInt(check.timeStep),
        pendingTotpSecret: null,
        pendingCreatedAt: null,
      },
    });
    if (count !== 1) throw new AppError("conflict", "The two-factor setup changed meanwhile. Start the setup again.");
    await replaceRecoveryCodes(tx, ctx.userId, recoveryCodes);
    const ended = await revokeOtherSessions(tx, ctx.userId, ctx.sessionId, "mfa_change");
    await recordUserEvent(tx, {
      ...eventOf(ctx),
      action: row.totpEnabledAt ? "mfa.reset" : "mfa.enable",
      metadata: { other_sessions_ended: ended },
    });
  });
  return { recoveryCodes };
}

/** Turns TOTP off and deletes the recovery codes (a step-up action). */
export async function disableMfa(ctx: MfaChangeContext): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const { count } = await tx.userMfa.updateMany({
      where: { userId: ctx.userId, totpEnabledAt: { not: null } },
      data: { totpSecret: null, totpEnabledAt: null, pendingTotpSecret: null, pendingCreatedAt: null },
    });
    if (count !== 1) throw new AppError("conflict", "Two-factor authentication is not turned on");
    await tx.userRecoveryCode.deleteMany({ where: { userId: ctx.userId } });
    const ended = await revokeOtherSessions(tx, ctx.userId, ctx.sessionId, "mfa_change");
    await recordUserEvent(tx, { ...eventOf(ctx), action: "mfa.disable", metadata: { other_sessions_ended: ended } });
  });
}

/** New recovery codes for an enrolled user; the old ones stop working (a step-up action). */
export async function regenerateRecoveryCodes(ctx: MfaChangeContext): Promise<{ recoveryCodes: string[] }> {
  const recoveryCodes = generateRecoveryCodes();
  await getDb().$transaction(async (tx) => {
    const enrolled = await tx.userMfa.count({ where: { userId: ctx.userId, totpEnabledAt: { not: null } } });
    if (!enrolled) throw new AppError("conflict", "Turn on two-factor authentication first");
    await replaceRecoveryCodes(tx, ctx.userId, recoveryCodes);
    const ended = await revokeOtherSessions(tx, ctx.userId, ctx.sessionId, "mfa_change");
    await recordUserEvent(tx, { ...eventOf(ctx), action: "mfa.recovery_codes_regenerate", metadata: { other_sessions_ended: ended } });
  });
  return { recoveryCodes };
}

async function replaceRecoveryCodes(tx: TxClient, userId: string, codes: string[]): Promise<void> {
  const key = getHmacKey("recovery-codes");
  await tx.userRecoveryCode.deleteMany({ where: { userId } });
  await tx.userRecoveryCode.createMany({
    data: codes.map((c) => ({ userId, codeHash: new Uint8Array(hashRecoveryCode(key, userId, normalizeRecoveryCode(c)!)) })),
  });
}

function eventOf(ctx: MfaChangeContext) {
  return { userId: ctx.userId, ip: ctx.ip, userAgent: ctx.userAgent, requestId: ctx.requestId };
}
