import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type { Server } from "node:http";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

/**
 * A real OpenID Connect provider (oidc-provider, certified) for the e2e
 * tests, on a loopback port. Its login page takes an email: the account's
 * subject and claims derive from it. Accounts whose email starts with
 * `tamper-nonce`, `tamper-aud` or `tamper-exp` get a token response whose ID
 * token — re-signed with the provider's own key — carries a wrong nonce, a
 * wrong audience or an expiry in the past, so the console's refusal of each
 * is tested through the real browser flow. `unverified` in the email makes
 * `email_verified` false.
 */
export type OidcTestProvider = { issuer: string; close: () => Promise<void> };

export type OidcTestProviderOptions = {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
};

const TAMPER_MODES = ["tamper-nonce", "tamper-aud", "tamper-exp"] as const;

function subjectOf(email: string): string {
  return `sub-${email.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

function base64url(value: unknown): string {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

function resign(idToken: string, mutate: (claims: Record<string, unknown>) => void, key: KeyObject, kid: string): string {
  const [, payload] = idToken.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
  mutate(claims);
  const signingInput = `${base64url({ alg: "RS256", typ: "JWT", kid })}.${base64url(claims)}`;
  return `${signingInput}.${sign("sha256", Buffer.from(signingInput), key).toString("base64url")}`;
}

const PAGE = (uid: string, message = "") => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test IdP · Sign in</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;color:#18181b}label{display:block;margin:1rem 0 .25rem}input{width:100%;padding:.5rem;font-size:1rem}button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem}</style>
</head><body><h1>Test IdP</h1>${message ? `<p role="alert">${message}</p>` : ""}
<form method="post" action="/interaction/${uid}/login">
<label for="email">Email</label><input id="email" name="email" type="email" autofocus required>
<button type="submit">Sign in to Test IdP</button></form></body></html>`;

export async function startOidcTestProvider(opts: OidcTestProviderOptions): Promise<OidcTestProvider> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const kid = `test-${randomBytes(4).toString("hex")}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" };
  const signingKey = createPrivateKey({ key: jwk as never, format: "jwk" });

  const configuration: Configuration = {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Put the requested claims into the ID token (as Google, Okta and Keycloak do).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // First-party test client: no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    async findAccount(_ctx: unknown, sub: string) {
      const email = Buffer.from(sub.replace(/^acct-/, ""), "base64url").toString("utf8");
      return {
        accountId: sub,
        async claims() {
          return {
            sub: subjectOf(email),
            email,
            email_verified: !email.includes("unverified"),
            name: email.split("@")[0]!.replace(/[._-]+/g, " "),
          };
        },
      };
    },
    ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  };

  const provider = new Provider(issuer, configuration);

  // The login page (GET) and its form (POST).
  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
    if (!match) return next();
    const { uid, prompt } = await provider.interactionDetails(ctx.req, ctx.res);
    if (match[1] !== uid) ctx.throw(400, "interaction mismatch");
    if (ctx.method === "GET") {
      ctx.type = "html";
      ctx.body = PAGE(uid, prompt.name === "login" ? "" : `Unexpected prompt ${prompt.name}`);
      return;
    }
    const body = await new Promise<string>((resolve) => {
      let data = "";
      ctx.req.on("data", (chunk) => (data += chunk));
      ctx.req.on("end", () => resolve(data));
    });
    const email = new URLSearchParams(body).get("email")?.trim().toLowerCase() ?? "";
    if (!email.includes("@")) {
      ctx.type = "html";
      ctx.body = PAGE(uid, "Enter an email");
      return;
    }
    const accountId = `acct-${Buffer.from(email).toString("base64url")}`;
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId } }, { mergeWithLastSubmission: false });
    ctx.respond = false;
  });

  // Tampered token responses for the tamper-* accounts.
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    await next();
    if (ctx.path !== "/token" || ctx.status !== 200) return;
    const body = ctx.body as { id_token?: string } | undefined;
    if (!body?.id_token) return;
    const claims = JSON.parse(Buffer.from(body.id_token.split(".")[1]!, "base64url").toString("utf8")) as { email?: string };
    const mode = TAMPER_MODES.find((m) => claims.email?.startsWith(m));
    if (!mode) return;
    body.id_token = resign(
      body.id_token,
      (c) => {
        if (mode === "tamper-nonce") c.nonce = "not-the-nonce-the-client-sent";
        if (mode === "tamper-aud") c.aud = "some-other-client";
        if (mode === "tamper-exp") {
          c.iat = Math.floor(Date.now() / 1000) - 7200;
          c.exp = Math.floor(Date.now() / 1000) - 3600;
        }
      },
      signingKey,
      kid,
    );
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = provider.listen(opts.port, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
  });
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
