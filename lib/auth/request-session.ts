import "server-only";
import { decode } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { getConfig } from "../config/env";
import { sessionCookie } from "./session-cookie";
import { loadSession, type SessionUser, type SignedInSession } from "./session-user";

type CookieReader = { get(name: string): { value: string } | undefined; getAll(): { name: string; value: string }[] };

/** The session token from its cookie, reassembled when next-auth chunked it. */
export function sessionTokenFrom(cookies: CookieReader): string | undefined {
  const { name } = sessionCookie();
  const whole = cookies.get(name)?.value;
  if (whole) return whole;
  const chunks = cookies
    .getAll()
    .filter((c) => c.name.startsWith(`${name}.`))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.length ? chunks.map((c) => c.value).join("") : undefined;
}

/** The signed-in user and session of a session token, or null. */
export async function sessionOfToken(token: string | undefined): Promise<SignedInSession | null> {
  if (!token) return null;
  const payload = await decode({ token, secret: getConfig().SESSION_SECRET }).catch(() => null);
  return loadSession(payload);
}

/**
 * For route handlers: the user and session of the session cookie on `req`,
 * or null. Reads the cookie only (no bearer fallback): the management API's
 * machine access goes through API keys, not through copied session tokens.
 */
export function getRequestSession(req: NextRequest): Promise<SignedInSession | null> {
  return sessionOfToken(sessionTokenFrom(req.cookies));
}

export async function getRequestUser(req: NextRequest): Promise<SessionUser | null> {
  return (await getRequestSession(req))?.user ?? null;
}
