import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "../config/env";
import { createLogger } from "../log/logger";
import { verifyCredentials } from "./verify-credentials";

/** A console session lives this long without a new sign-in. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

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

const log = createLogger("web").child({ component: "next-auth" });

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
        },
        authorize: (credentials) => verifyCredentials(credentials),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.op = user.isOperator;
        }
        return token;
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
