import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    id: string;
    isOperator: boolean;
  }
  interface Session {
    user: { id: string; email: string; name: string; isOperator: boolean };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The signed-in user's id. */
    uid?: string;
    /** Whether the user is a platform operator (re-checked against the database on use). */
    op?: boolean;
  }
}
