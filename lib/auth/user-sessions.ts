import "server-only";
import { getDb, type TxClient } from "../db/client";

/** A console session lives this long without a new sign-in. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/** `last_seen_at` is refreshed at most this often per session. */
const TOUCH_INTERVAL_MS = 60_000;

export type AuthMethod = "password" | "oidc";

export type NewSession = {
  userId: string;
  authMethod: AuthMethod;
  /** When an MFA verification happened as part of signing in; null otherwise. */
  stepUpAt?: Date | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Defaults to now + SESSION_MAX_AGE_SECONDS. */
  expiresAt?: Date;
};

export type SessionRecord = {
  id: string;
  userId: string;
  authMethod: AuthMethod;
  createdAt: Date;
  expiresAt: Date;
  stepUpAt: Date | null;
};

const SELECT = { id: true, userId: true, authMethod: true, createdAt: true, expiresAt: true, stepUpAt: true } as const;

export async function createSession(tx: TxClient, input: NewSession): Promise<SessionRecord> {
  const row = await tx.userSession.create({
    data: {
      userId: input.userId,
      authMethod: input.authMethod,
      stepUpAt: input.stepUpAt ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      expiresAt: input.expiresAt ?? new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    },
    select: SELECT,
  });
  return row as SessionRecord;
}

/**
 * Replaces session `id` by a new one (new identifier, same user, method and
 * expiry; revokes the old), so an identifier seen before a privilege change
 * is worthless after it. Returns null when `id` is no longer active (then
 * nothing changes).
 */
export async function rotateSession(
  tx: TxClient,
  id: string,
  changes: { stepUpAt?: Date | null; ip?: string | null; userAgent?: string | null; reason: string },
): Promise<SessionRecord | null> {
  const now = new Date();
  const revoked = await tx.userSession.updateMany({
    where: { id, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now, revokedReason: changes.reason },
  });
  if (revoked.count !== 1) return null;
  const old = await tx.userSession.findUniqueOrThrow({ where: { id }, select: { ...SELECT, ip: true, userAgent: true } });
  return createSession(tx, {
    userId: old.userId,
    authMethod: old.authMethod as AuthMethod,
    stepUpAt: changes.stepUpAt === undefined ? old.stepUpAt : changes.stepUpAt,
    ip: changes.ip ?? old.ip,
    userAgent: changes.userAgent ?? old.userAgent,
    expiresAt: old.expiresAt,
  });
}

export async function revokeSession(id: string, reason: string, db: Pick<TxClient, "userSession"> = getDb()): Promise<void> {
  await db.userSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
}

/** Ends every session of `userId` except `keepId` (password or MFA changed). */
export async function revokeOtherSessions(tx: TxClient, userId: string, keepId: string | null, reason: string): Promise<number> {
  const { count } = await tx.userSession.updateMany({
    where: { userId, revokedAt: null, ...(keepId ? { id: { not: keepId } } : {}) },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count;
}

export type ActiveSessionRow = SessionRecord & {
  lastSeenAt: Date;
  user: { id: string; email: string; name: string; isOperator: boolean; mfa: { totpEnabledAt: Date | null } | null };
};

/**
 * The session `id` of `userId` if it is active (exists, not revoked, not
 * expired), with its user; null otherwise. Refreshes `last_seen_at` (at most
 * once a minute).
 */
export async function findActiveSession(id: string, userId: string): Promise<ActiveSessionRow | null> {
  const db = getDb();
  const row = await db.userSession.findUnique({
    where: { id },
    select: {
      ...SELECT,
      lastSeenAt: true,
      revokedAt: true,
      user: { select: { id: true, email: true, name: true, isOperator: true, mfa: { select: { totpEnabledAt: true } } } },
    },
  });
  const now = Date.now();
  if (!row || row.userId !== userId || row.revokedAt || row.expiresAt.getTime() <= now) return null;
  if (now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.userSession.updateMany({ where: { id, lastSeenAt: row.lastSeenAt }, data: { lastSeenAt: new Date(now) } });
  }
  const { revokedAt: _revoked, ...active } = row;
  return active as ActiveSessionRow;
}

export type SessionListItem = {
  id: string;
  authMethod: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
};

/** The user's active sessions, most recently used first. */
export function listActiveSessions(userId: string): Promise<SessionListItem[]> {
  return getDb().userSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: "desc" },
    take: 50,
    select: { id: true, authMethod: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
  });
}

/** An active session by id alone (the OIDC link flow knows no user yet). */
export async function findActiveSessionById(id: string): Promise<{ id: string; userId: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const row = await getDb().userSession.findUnique({ where: { id }, select: { id: true, userId: true, revokedAt: true, expiresAt: true } });
  return row && !row.revokedAt && row.expiresAt.getTime() > Date.now() ? { id: row.id, userId: row.userId } : null;
}
