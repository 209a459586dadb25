import "server-only";
import type { JWT } from "next-auth/jwt";
import { findActiveSession, type AuthMethod } from "./user-sessions";

export type SessionUser = { id: string; email: string; name: string; isOperator: boolean };

/** The server-side session behind a request: what step-up and MFA checks read. */
export type ActiveSession = {
  id: string;
  authMethod: AuthMethod;
  createdAt: Date;
  expiresAt: Date;
  /** The last MFA verification of this session (server-side; never a client claim). */
  stepUpAt: Date | null;
  /** Whether the user has TOTP enrolled (confirmed). */
  mfaEnabled: boolean;
};

export type SignedInSession = { user: SessionUser; session: ActiveSession };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user and session a verified session token names, read fresh from the
 * database on every request: a revoked, expired or rotated-away session, or a
 * deleted user, stops working at once, and neither `isOperator` nor the
 * step-up time is ever taken from the (up to 12 hours old) token.
 */
export async function loadSession(token: Pick<JWT, "uid" | "sid" | "sub"> | null | undefined): Promise<SignedInSession | null> {
  const userId = token?.uid ?? token?.sub;
  const sessionId = token?.sid;
  if (typeof userId !== "string" || !UUID.test(userId)) return null;
  if (typeof sessionId !== "string" || !UUID.test(sessionId)) return null;
  const row = await findActiveSession(sessionId, userId);
  if (!row) return null;
  const { user } = row;
  return {
    user: { id: user.id, email: user.email, name: user.name, isOperator: user.isOperator },
    session: {
      id: row.id,
      authMethod: row.authMethod,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      stepUpAt: row.stepUpAt,
      mfaEnabled: Boolean(user.mfa?.totpEnabledAt),
    },
  };
}
