import { AppError } from "../../lib/errors/app-error";
import type { ApiKeyVerifier, Stage } from "./types";

/** Query parameters that would carry a credential in the URL (and so into logs and proxies). */
const CREDENTIAL_QUERY_PARAMS = new Set(["api_key", "apikey", "api-key", "key", "access_token"]);

const CHALLENGE = { "www-authenticate": 'Bearer realm="modelgate"' };

/** No key can be valid until API keys exist: deny by default. */
export const denyAllApiKeys: ApiKeyVerifier = async () => null;

/** The token of `Authorization: Bearer <token>`, or null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header);
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
    if (hasCredentialInQuery(ctx.query)) {
      throw new AppError(
        "bad_request",
        "API keys must not be sent in the URL; send them in the Authorization header as a Bearer token",
      );
    }
  },
};

export function authenticateStage(verify: ApiKeyVerifier = denyAllApiKeys): Stage {
  return {
    name: "authenticate",
    appliesTo: (route) => route.auth === "api_key",
    async run(ctx) {
      const token = bearerToken(ctx.req.headers.authorization);
      if (token === null) {
        throw new AppError("unauthorized", "Missing API key: send Authorization: Bearer <key>", { headers: CHALLENGE });
      }
      const principal = await verify(token, ctx);
      if (!principal) {
        throw new AppError("invalid_api_key", "Invalid API key", {
          headers: { "www-authenticate": 'Bearer realm="modelgate", error="invalid_token"' },
        });
      }
      ctx.principal = principal;
    },
  };
}
