import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { getConfig } from "../lib/config/env";
import { getDb } from "../lib/db/client";

/**
 * Calling management API route handlers directly, as Next would: real
 * session cookies (a server-side session row and its signed JWT), bearer keys
 * and JSON bodies. Modules under test import "server-only": mock it in the
 * test file (`vi.mock("server-only", () => ({}))`).
 */

export const stamp = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

export async function createTestUser(label: string, opts: { mfa?: boolean } = {}): Promise<string> {
  const user = await getDb().user.create({ data: { email: `${label}-${stamp()}@example.test`, name: label } });
  // Enrolled, as far as step-up checks see (the secret is a placeholder: nothing here verifies codes).
  if (opts.mfa) {
    await getDb().userMfa.create({ data: { userId: user.id, totpSecret: Uint8Array.from([0]), totpEnabledAt: new Date() } });
  }
  return user.id;
}

/** A cookie header for a fresh session of `userId`; `stepUpAt` for a session that just passed MFA. */
export async function sessionCookieFor(userId: string, opts: { stepUpAt?: Date } = {}): Promise<string> {
  const session = await getDb().userSession.create({
    data: {
      userId,
      authMethod: "password",
      stepUpAt: opts.stepUpAt ?? null,
      expiresAt: new Date(Date.now() + 3600_000),
    },
  });
  const token = await encode({ token: { sub: userId, uid: userId, sid: session.id }, secret: getConfig().SESSION_SECRET });
  const secure = new URL(getConfig().PUBLIC_URL).protocol === "https:";
  return `${secure ? "__Secure-" : ""}next-auth.session-token=${token}`;
}

export type TestRequest = {
  method?: string;
  cookie?: string;
  bearer?: string;
  body?: unknown;
  headers?: Record<string, string>;
};

export function apiRequest(path: string, init: TestRequest = {}): NextRequest {
  const headers: Record<string, string> = { "x-forwarded-for": "127.0.0.1", ...init.headers };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  if (init.body !== undefined) headers["content-type"] ??= "application/json";
  return new NextRequest(new URL(path, getConfig().PUBLIC_URL), {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
}

export const segment = <P,>(params: P) => ({ params: Promise.resolve(params) });
