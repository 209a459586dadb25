import "server-only";
import { getDb } from "../db/client";

export type SessionUser = { id: string; email: string; name: string; isOperator: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user a valid session token names, read fresh from the database: a
 * deleted user's session stops working at once, and `isOperator` is never
 * taken from the (up to 12 hours old) token alone.
 */
export async function loadSessionUser(userId: unknown): Promise<SessionUser | null> {
  if (typeof userId !== "string" || !UUID.test(userId)) return null;
  return getDb().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, isOperator: true },
  });
}
