import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    id: string;
    isOperator: boolean;
    /** Set by our sign-in code, read once by the jwt callback to open the server-side session. */
    authMethod?: "password" | "oidc";
    /** When the sign-in included an MFA verification (counts as a step-up). */
    mfaVerifiedAt?: Date | null;
  }
  interface Session {
    user: { id: string; email: string; name: string; isOperator: boolean };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The signed-in user's id. */
    uid?: string;
    /** The server-side session (user_sessions.id), checked on every request. */
    sid?: string;
    /** Whether the user is a platform operator (re-checked against the database on use). */
    op?: boolean;
  }
}
