import "server-only";
import type { User } from "next-auth";
import { getConfig } from "../config/env";
import { getDb } from "../db/client";
import { authRequest } from "./auth-request-context";
import { LINK_COOKIE, readLinkIntent } from "./oidc-link";
import type { OidcClaims, OidcSettings } from "./oidc-provider";
import { recordUserEvent } from "./user-audit";
import { findActiveSessionById } from "./user-sessions";

/** Sign-in page errors of the OIDC flow (the form words them). */
export const OIDC_ERRORS = {
  accountExists: "OidcAccountExists",
  emailUnverified: "OidcEmailUnverified",
  identityInUse: "OidcIdentityInUse",
} as const;

function loginError(code: string): string {
  return `${getConfig().PUBLIC_URL}/login?error=${code}`;
}

function accountPage(query: string): string {
  return `${getConfig().PUBLIC_URL}/account/security?${query}`;
}

function isVerified(value: OidcClaims["email_verified"]): boolean {
  return value === true || value === "true";
}

/**
 * next-auth's signIn callback for the OIDC provider. The identity is
 * (issuer, subject) of the verified ID token; the user is found through it
 * and never through the email:
 *   - a pending link (see oidc-link.ts): attach the identity to the linking
 *     user and go back to their account page, without a new sign-in;
 *   - a known identity: sign in its user;
 *   - a new identity: create an account for it — only when the provider vouches
 *     for the email (`email_verified`), and never when an account already has
 *     that email (the owner must sign in with their password and link).
 * Sets `user` to our user (next-auth hands the same object to the jwt
 * callback) and returns true, or returns the URL to send the browser to.
 */
export async function resolveOidcSignIn(user: User, claims: OidcClaims, settings: OidcSettings): Promise<true | string> {
  const meta = authRequest();
  const issuer = claims.iss ?? settings.issuer;
  const subject = claims.sub;
  const email = claims.email?.trim().toLowerCase() ?? "";
  const db = getDb();
  const event = { ip: meta.ip, userAgent: meta.userAgent, requestId: meta.requestId };
  const identity = await db.userIdentity.findUnique({
    where: { issuer_subject: { issuer, subject } },
    select: { id: true, user: { select: { id: true, email: true, name: true, isOperator: true } } },
  });

  const linkingSessionId = readLinkIntent(meta.cookie(LINK_COOKIE));
  if (linkingSessionId) {
    const linking = await findActiveSessionById(linkingSessionId);
    if (linking) {
      if (identity && identity.user.id !== linking.userId) {
        await recordUserEvent(db, { ...event, userId: linking.userId, action: "identity.link", outcome: "failure", reason: "identity_in_use", metadata: { issuer } });
        return accountPage(`link_error=${OIDC_ERRORS.identityInUse}`);
      }
      if (!identity) {
        await db.$transaction(async (tx) => {
          const created = await tx.userIdentity.create({ data: { userId: linking.userId, issuer, subject, email: email || null } });
          await recordUserEvent(tx, { ...event, userId: linking.userId, action: "identity.link", target: { type: "user_identity", id: created.id }, metadata: { issuer } });
        });
      }
      return accountPage("linked=1");
    }
  }

  if (identity) {
    await db.userIdentity.update({ where: { id: identity.id }, data: { lastUsedAt: new Date(), email: email || undefined } });
    Object.assign(user, identity.user);
    return true;
  }

  if (!email || !isVerified(claims.email_verified)) {
    await recordUserEvent(db, { ...event, userId: null, action: "auth.sign_in", outcome: "failure", reason: "oidc_email_unverified", metadata: { method: "oidc", issuer } });
    return loginError(OIDC_ERRORS.emailUnverified);
  }
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) {
    // Never link by email: whoever controls this IdP account may not be the account's owner.
    await recordUserEvent(db, { ...event, userId: existing.id, action: "auth.sign_in", outcome: "failure", reason: "oidc_identity_not_linked", metadata: { method: "oidc", issuer } });
    return loginError(OIDC_ERRORS.accountExists);
  }
  const created = await db.$transaction(async (tx) => {
    const newUser = await tx.user.create({
      data: { email, name: (user.name || email.split("@")[0] || "").slice(0, 100) },
      select: { id: true, email: true, name: true, isOperator: true },
    });
    await tx.userIdentity.create({ data: { userId: newUser.id, issuer, subject, email, lastUsedAt: new Date() } });
    await recordUserEvent(tx, { ...event, userId: newUser.id, action: "auth.sign_up", metadata: { method: "oidc", issuer } });
    return newUser;
  });
  Object.assign(user, created);
  return true;
}
