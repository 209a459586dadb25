import "server-only";
import { encode } from "next-auth/jwt";
import type { NextResponse } from "next/server";
import { getConfig } from "../config/env";
import type { SessionUser } from "./session-user";
import type { SessionRecord } from "./user-sessions";

export type SessionCookie = { name: string; secure: boolean };

/**
 * The session cookie: `Secure` (and `__Secure-` prefixed, which browsers
 * enforce) whenever the console is served over https; HttpOnly and
 * SameSite=Lax always.
 */
export function sessionCookie(): SessionCookie {
  const secure = new URL(getConfig().PUBLIC_URL).protocol === "https:";
  return { name: `${secure ? "__Secure-" : ""}next-auth.session-token`, secure };
}

/** The claims of a session JWT: who, and which server-side session. */
export function sessionClaims(user: SessionUser, session: Pick<SessionRecord, "id">) {
  return { sub: user.id, uid: user.id, sid: session.id, email: user.email, name: user.name, op: user.isOperator };
}

/**
 * Sets a session cookie for `session` on `res` — how the server hands out a
 * new session identifier outside next-auth's own flows (step-up, password
 * change). Same name, flags and token format as next-auth's cookie.
 */
export async function setSessionCookie(res: NextResponse, user: SessionUser, session: SessionRecord): Promise<void> {
  const maxAge = Math.max(1, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  const token = await encode({ token: sessionClaims(user, session), secret: getConfig().SESSION_SECRET, maxAge });
  const { name, secure } = sessionCookie();
  res.cookies.set(name, token, { httpOnly: true, sameSite: "lax", path: "/", secure, expires: session.expiresAt });
}
