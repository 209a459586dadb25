import "server-only";
import type { AuthOptions, User } from "next-auth";
import { decode } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "../config/env";
import { getDb } from "../db/client";
import { createLogger } from "../log/logger";
import { authRequest } from "./auth-request-context";
import { oidcProvider, oidcSettings, OIDC_PROVIDER_ID, type OidcClaims } from "./oidc-provider";
import { resolveOidcSignIn } from "./oidc-sign-in";
import { sessionClaims, sessionCookie } from "./session-cookie";
import { loadSession } from "./session-user";
import { recordUserEvent } from "./user-audit";
import { createSession, revokeSession, SESSION_MAX_AGE_SECONDS } from "./user-sessions";
import { verifyCredentials } from "./verify-credentials";

export { sessionCookie, type SessionCookie } from "./session-cookie";
export { SESSION_MAX_AGE_SECONDS } from "./user-sessions";

const log = createLogger("web").child({ component: "next-auth" });

/**
 * Opens the server-side session of a sign-in that just succeeded and audits
 * the sign-in in the same transaction. A session cookie the browser still
 * carried (another or the same account) is ended: every sign-in gets a new
 * session identifier.
 */
async function openSession(user: User, method: "password" | "oidc") {
  const meta = authRequest();
  const previous = meta.cookie(sessionCookie().name);
  if (previous) {
    const old = await decode({ token: previous, secret: getConfig().SESSION_SECRET }).catch(() => null);
    if (typeof old?.sid === "string") await revokeSession(old.sid, "replaced_by_sign_in").catch(() => {});
  }
  return getDb().$transaction(async (tx) => {
    const session = await createSession(tx, {
      userId: user.id,
      authMethod: method,
      stepUpAt: user.mfaVerifiedAt ?? null,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    await recordUserEvent(tx, {
      action: "auth.sign_in",
      userId: user.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
      metadata: { method, mfa: Boolean(user.mfaVerifiedAt), session_id: session.id },
    });
    return session;
  });
}

let cached: AuthOptions | undefined;

/**
 * next-auth's options, built on first use rather than at import: `next build`
 * imports route modules without the runtime secrets. Pins next-auth's base URL
 * to PUBLIC_URL so redirects never follow a client-supplied Host header.
 */
export function getAuthOptions(): AuthOptions {
  if (cached) return cached;
  const config = getConfig();
  process.env.NEXTAUTH_URL ??= config.PUBLIC_URL;
  const cookie = sessionCookie();
  const oidc = oidcSettings(config);
  cached = {
    secret: config.SESSION_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    useSecureCookies: cookie.secure,
    cookies: {
      sessionToken: {
        name: cookie.name,
        options: { httpOnly: true, sameSite: "lax", path: "/", secure: cookie.secure },
      },
    },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          code: { label: "Authentication code", type: "text" },
          recoveryCode: { label: "Recovery code", type: "text" },
        },
        authorize: (credentials) => verifyCredentials(credentials),
      }),
      ...(oidc ? [oidcProvider(oidc)] : []),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider === OIDC_PROVIDER_ID && oidc) {
          return resolveOidcSignIn(user, profile as unknown as OidcClaims, oidc);
        }
        return account?.provider === "credentials";
      },
      async jwt({ token, user, account }) {
        if (!user) {
          // Reading the session (/api/auth/session): a revoked or expired
          // server-side session throws, and next-auth then clears the cookie.
          if (!(await loadSession(token))) throw new Error("SessionEnded");
          return token;
        }
        const method = account?.provider === OIDC_PROVIDER_ID ? "oidc" : "password";
        const session = await openSession(user, method);
        return sessionClaims({ id: user.id, email: user.email ?? "", name: user.name ?? "", isOperator: user.isOperator }, session);
      },
      session({ session, token }) {
        session.user = {
          id: String(token.uid ?? token.sub ?? ""),
          email: token.email ?? "",
          name: token.name ?? "",
          isOperator: token.op === true,
        };
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid !== "string") return;
        const meta = authRequest();
        await revokeSession(token.sid, "sign_out");
        await recordUserEvent(getDb(), {
          action: "auth.sign_out",
          userId: typeof token.uid === "string" ? token.uid : null,
          ip: meta.ip,
          userAgent: meta.userAgent,
          requestId: meta.requestId,
        }).catch((err) => log.warn({ err: { message: (err as Error).message } }, "could not audit sign-out"));
      },
    },
    logger: {
      // next-auth's metadata may carry request bodies: log codes and messages only.
      error: (code, metadata) =>
        log.error({ code, err: (metadata as { message?: string })?.message }, "next-auth error"),
      warn: (code) => log.warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
  return cached;
}

/** Whether the OIDC button should be shown, and its label. */
export function oidcSignInOption(): { id: string; name: string } | null {
  const settings = oidcSettings();
  return settings ? { id: OIDC_PROVIDER_ID, name: settings.name } : null;
}
