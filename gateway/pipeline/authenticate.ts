import { AppError } from "../../lib/errors/app-error";
import { hash } from "node:crypto";
import { isWellFormedApiKey } from "../../lib/keys/key-format";
import type { ApiKeyPrincipal, KeyResolver, RequestContext, ResolvedKey, Stage } from "./types";

/** Query parameters that would carry a credential in the URL (and so into logs and proxies). */
const CREDENTIAL_QUERY_PARAMS = new Set(["api_key", "apikey", "api-key", "key", "access_token"]);

const CHALLENGE = { "www-authenticate": 'Bearer realm="modelgate"' };
const INVALID_TOKEN = { "www-authenticate": 'Bearer realm="modelgate", error="invalid_token"' };

/** No key is known: deny every one (the skeleton's default, and tests). */
export const denyAllApiKeys: KeyResolver = { resolve: async () => null };

/** The token of `Authorization: Bearer <token>`, or null when there is none. */
const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = BEARER.exec(header);
  return m ? m[1]! : null;
}

export function hasCredentialInQuery(query: URLSearchParams): boolean {
  for (const name of query.keys()) {
    if (CREDENTIAL_QUERY_PARAMS.has(name.toLowerCase())) return true;
  }
  return false;
}

/**
 * Keys travel only in `Authorization: Bearer`. A key in the query string is
 * refused outright (400), even next to a valid header: the URL has already
 * leaked it, and the client must learn that.
 */
export const queryCredentialStage: Stage = {
  name: "query-credential",
  appliesTo: (route) => route.auth === "api_key",
  run(ctx) {
    if (ctx.query !== "" && hasCredentialInQuery(new URLSearchParams(ctx.query))) {
      throw new AppError(
        "bad_request",
        "API keys must not be sent in the URL; send them in the Authorization header as a Bearer token",
      );
    }
  },
};

const invalidKey = () => new AppError("invalid_api_key", "Invalid API key", { headers: INVALID_TOKEN });

function accept(ctx: RequestContext, key: ResolvedKey | null, now: () => number): void {
  if (!key) throw invalidKey();
  ctx.key = key;
  const { record } = key;
  if (record.revoked || (record.validUntil !== null && record.validUntil.getTime() <= now())) throw invalidKey();
  if (record.tenant.status !== "active") {
    throw new AppError("tenant_suspended", "This tenant is suspended; contact your administrator");
  }
  ctx.principal = principalOf(record);
}

/** One principal object per key record (records are replaced, never changed, when a key is reloaded). */
const principals = new WeakMap<ResolvedKey["record"], ApiKeyPrincipal>();
function principalOf(record: ResolvedKey["record"]): ApiKeyPrincipal {
  let principal = principals.get(record);
  if (!principal) {
    principal = Object.freeze({ tenantId: record.tenantId, keyId: record.keyId, scopes: record.scopes });
    principals.set(record, principal);
  }
  return principal;
}

/**
 * Bearer token → checksum → SHA-256 → key record (cache, then Postgres) →
 * active, unexpired, tenant not suspended. A malformed token (wrong shape or
 * checksum) is refused here without any cache, Redis or database access. A
 * key in memory is judged synchronously. Revoked, expired and rotated-out
 * keys get the same answer as unknown ones.
 */
export function authenticateStage(keys: KeyResolver = denyAllApiKeys, now: () => number = Date.now): Stage {
  async function lookup(ctx: RequestContext, id: string): Promise<void> {
    let key;
    try {
      key = await keys.resolve(Buffer.from(id, "base64"));
    } catch (err) {
      ctx.logger.error({ request_id: ctx.requestId, err: { message: (err as Error).message } }, "key lookup failed");
      throw new AppError("service_unavailable", "API keys cannot be checked right now; try again shortly", {
        headers: { "retry-after": "2" },
      });
    }
    accept(ctx, key, now);
  }
  return {
    name: "authenticate",
    appliesTo: (route) => route.auth === "api_key",
    run(ctx) {
      const token = bearerToken(ctx.req.headers.authorization);
      if (token === null) {
        throw new AppError("unauthorized", "Missing API key: send Authorization: Bearer <key>", { headers: CHALLENGE });
      }
      if (!isWellFormedApiKey(token)) throw invalidKey();
      // SHA-256 of the key, as hashApiKey computes it, in one call.
      const id = hash("sha256", token, "base64");
      const cached = keys.peek?.(id);
      if (cached === undefined) return lookup(ctx, id);
      accept(ctx, cached, now);
    },
  };
}
