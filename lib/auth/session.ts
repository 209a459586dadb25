import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { sessionOfToken, sessionTokenFrom } from "./request-session";
import type { SessionUser, SignedInSession } from "./session-user";

export type { SessionUser, SignedInSession, ActiveSession } from "./session-user";

/**
 * The signed-in user and server-side session of the current page request, or
 * null. Memoised per request (the layout and the page share one lookup).
 */
export const getPageSession = cache(async (): Promise<SignedInSession | null> => {
  // Per request, never at build time: marks the page dynamic before any config is read.
  await connection();
  return sessionOfToken(sessionTokenFrom(await cookies()));
});

/** The signed-in user of the current page request, or null. */
export async function getSessionUser(): Promise<SessionUser | null> {
  return (await getPageSession())?.user ?? null;
}

function loginRedirect(returnTo?: string): never {
  const query = returnTo && isSafeReturnPath(returnTo) ? `?callbackUrl=${encodeURIComponent(returnTo)}` : "";
  redirect(`/login${query}`);
}

/**
 * For pages: the signed-in user, or a redirect to /login (coming back to
 * `returnTo`, a same-site path, after signing in).
 */
export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const signedIn = await getPageSession();
  return signedIn ? signedIn.user : loginRedirect(returnTo);
}

/** Like requireUser, with the session (MFA state, step-up time). */
export async function requireSession(returnTo?: string): Promise<SignedInSession> {
  return (await getPageSession()) ?? loginRedirect(returnTo);
}

/** A path on this site (not `//evil.example` or `/\evil.example`). */
export function isSafeReturnPath(path: string): boolean {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
}
