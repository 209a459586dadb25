import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { NextRequest } from "next/server";
import { clientIpOf } from "./route-common";

/**
 * The request next-auth is handling, for its callbacks: next-auth v4 hands
 * `authorize` the headers but `signIn`/`jwt` nothing of the request, and
 * sessions and audit entries need the client's address, user agent and the
 * cookies of the OIDC link flow. Set by app/api/auth/[...nextauth]/route.ts.
 */
export type AuthRequestContext = {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  cookie: (name: string) => string | undefined;
};

const storage = new AsyncLocalStorage<AuthRequestContext>();

export function runWithAuthRequest<T>(req: NextRequest, requestId: string, fn: () => Promise<T>): Promise<T> {
  const ctx: AuthRequestContext = {
    ip: clientIpOf(req),
    userAgent: req.headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId,
    cookie: (name) => req.cookies.get(name)?.value,
  };
  return storage.run(ctx, fn);
}

/** The current next-auth request, or an empty one outside it (tests, scripts). */
export function authRequest(): AuthRequestContext {
  return storage.getStore() ?? { ip: null, userAgent: null, requestId: "none", cookie: () => undefined };
}
