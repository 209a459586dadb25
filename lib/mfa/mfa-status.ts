import "server-only";
import { getDb } from "../db/client";

export type MfaStatus = {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
};

export async function getMfaStatus(userId: string): Promise<MfaStatus> {
  const db = getDb();
  const [mfa, recoveryCodesLeft] = await Promise.all([
    db.userMfa.findUnique({ where: { userId }, select: { totpEnabledAt: true } }),
    db.userRecoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return { enabled: Boolean(mfa?.totpEnabledAt), enabledAt: mfa?.totpEnabledAt ?? null, recoveryCodesLeft };
}
