import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { TokenSet } from "openid-client";
import { ConfigError, getConfig, type AppConfig } from "../config/env";

export type OidcSettings = { issuer: string; clientId: string; clientSecret: string; name: string };

/** The claims ModelGate reads from the provider (ID token, completed from userinfo). */
export type OidcClaims = {
  iss?: string;
  sub: string;
  email?: string;
  email_verified?: boolean | string;
  name?: string;
  preferred_username?: string;
};

export const OIDC_PROVIDER_ID = "oidc";

/** OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: all three, or none (then null). */
export function oidcSettings(config: AppConfig = getConfig()): OidcSettings | null {
  const set = [config.OIDC_ISSUER, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET];
  if (set.every((v) => v === undefined)) return null;
  if (set.some((v) => v === undefined)) {
    throw new ConfigError("OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together (or none of them)");
  }
  return {
    issuer: config.OIDC_ISSUER!.replace(/\/+$/, ""),
    clientId: config.OIDC_CLIENT_ID!,
    clientSecret: config.OIDC_CLIENT_SECRET!,
    name: config.OIDC_NAME,
  };
}

/**
 * next-auth's OAuth provider for any OpenID Connect issuer, found by
 * discovery. The ID token is verified by openid-client (signature against the
 * issuer's JWKS, `iss`, `aud` = our client id, `exp`/`iat`, and our `nonce`);
 * PKCE, state and nonce are all checked. Claims missing from the ID token
 * (some providers put email only in userinfo) are read from userinfo, whose
 * `sub` openid-client holds to the ID token's.
 */
export function oidcProvider(settings: OidcSettings): OAuthConfig<OidcClaims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.name,
    type: "oauth",
    wellKnown: `${settings.issuer}/.well-known/openid-configuration`,
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    userinfo: {
      async request({ tokens, client }) {
        // At run time next-auth hands over openid-client's TokenSet (its ID token already verified).
        const set = tokens as unknown as TokenSet;
        const claims = set.claims() as unknown as OidcClaims;
        if (claims.email && claims.email_verified !== undefined) return claims as never;
        const info = (await client.userinfo(set)) as unknown as Partial<OidcClaims>;
        return { ...info, ...claims, email: claims.email ?? info.email, email_verified: claims.email_verified ?? info.email_verified } as never;
      },
    },
    profile(claims) {
      return {
        id: claims.sub,
        email: claims.email?.trim().toLowerCase() ?? "",
        name: claims.name ?? claims.preferred_username ?? "",
        isOperator: false,
        authMethod: "oidc",
      };
    },
  };
}
