import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { NextResponse } from "next/server";
import { getHmacKey } from "../crypto/key-provider";
import { sessionCookie } from "./session-cookie";

/**
 * "Link my identity at the provider to this account": the signed-in user
 * confirms their password, we set a short-lived signed cookie naming their
 * session, and send them to the provider. When the provider sends them back,
 * the sign-in callback finds the cookie and links the identity to that
 * session's user instead of signing anyone in. This is the only way an
 * identity gets attached to an existing account (never by matching email).
 */
export const LINK_COOKIE = "mg-oidc-link";
const TTL_MS = 10 * 60 * 1000;

function mac(payload: string): string {
  return createHmac("sha256", getHmacKey("oidc-link")).update(payload).digest("base64url");
}

export function linkIntentValue(sessionId: string, now = Date.now()): string {
  const payload = `${sessionId}.${now + TTL_MS}`;
  return `${payload}.${mac(payload)}`;
}

/** The session id a link cookie names, if it is authentic and not expired. */
export function readLinkIntent(value: string | undefined, now = Date.now()): string | null {
  const parts = value?.split(".");
  if (!parts || parts.length !== 3) return null;
  const [sessionId, expires, tag] = parts as [string, string, string];
  const expected = Buffer.from(mac(`${sessionId}.${expires}`));
  const given = Buffer.from(tag);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Number(expires) > now ? sessionId : null;
}

export function setLinkCookie(res: NextResponse, sessionId: string): void {
  res.cookies.set(LINK_COOKIE, linkIntentValue(sessionId), {
    httpOnly: true,
    // Lax: the provider sends the browser back with a top-level GET.
    sameSite: "lax",
    secure: sessionCookie().secure,
    path: "/api/auth",
    maxAge: TTL_MS / 1000,
  });
}

/** The Set-Cookie header value that deletes the link cookie. */
export function clearLinkCookieHeader(): string {
  return `${LINK_COOKIE}=; Path=/api/auth; Max-Age=0; HttpOnly; SameSite=Lax${sessionCookie().secure ? "; Secure" : ""}`;
}
