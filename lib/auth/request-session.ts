import "server-only";
import { decode } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { getConfig } from "../config/env";
import { sessionCookie } from "./auth-options";
import { loadSessionUser, type SessionUser } from "./session-user";

/** The session token from its cookie, reassembled when next-auth chunked it. */
function sessionTokenOf(req: NextRequest): string | undefined {
  const { name } = sessionCookie();
  const whole = req.cookies.get(name)?.value;
  if (whole) return whole;
  const chunks = req.cookies
    .getAll()
    .filter((c) => c.name.startsWith(`${name}.`))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.length ? chunks.map((c) => c.value).join("") : undefined;
}

/**
 * For route handlers: the user of the session cookie on `req`, or null. Reads
 * the cookie only (no bearer fallback): the management API's machine access
 * goes through API keys, not through copied session tokens.
 */
export async function getRequestUser(req: NextRequest): Promise<SessionUser | null> {
  const token = sessionTokenOf(req);
  if (!token) return null;
  const payload = await decode({ token, secret: getConfig().SESSION_SECRET }).catch(() => null);
  return loadSessionUser(payload?.uid ?? payload?.sub);
}
