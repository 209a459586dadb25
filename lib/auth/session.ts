import "server-only";
import { getServerSession } from "next-auth/next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getAuthOptions } from "./auth-options";
import { loadSessionUser, type SessionUser } from "./session-user";

export type { SessionUser } from "./session-user";

/** The signed-in user of the current page request, or null. */
export async function getSessionUser(): Promise<SessionUser | null> {
  // Per request, never at build time: marks the page dynamic before any config is read.
  await connection();
  const session = await getServerSession(getAuthOptions());
  return loadSessionUser(session?.user?.id);
}

/**
 * For pages: the signed-in user, or a redirect to /login (coming back to
 * `returnTo`, a same-site path, after signing in).
 */
export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (user) return user;
  const query = returnTo && isSafeReturnPath(returnTo) ? `?callbackUrl=${encodeURIComponent(returnTo)}` : "";
  redirect(`/login${query}`);
}

/** A path on this site (not `//evil.example` or `/\evil.example`). */
export function isSafeReturnPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
}
