import "server-only";
import type { NextRequest } from "next/server";
import type { Logger } from "pino";
import type { AuditContext, Actor } from "../audit/record-audit";
import type { TxClient } from "../db/client";
import { getDb } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { hashApiKey, isWellFormedApiKey } from "../keys/key-format";
import { lookupKeyByHash, type KeyRecord } from "../keys/lookup-key";
import { withContext } from "../log/logger";
import { compileCidrs, parseIp } from "../policy/ip-rules";
import { can, permissionsOfKeyScopes, type Permission } from "./permissions";
import { requireStepUp } from "./step-up";
import { clientIpOf, errorResponse, finishResponse, requestIdOf, routeLogger } from "./route-common";
import type { TenantSummary } from "./tenant-access";
import type { TenantRouteContext, TenantRouteOptions, TenantRouteParams } from "./tenant-route";
import type { RouteHandler } from "./user-route";

/** The key a management API request was made with (never its secret or hash). */
export type ApiKeyPrincipal = {
  id: string;
  scopes: readonly string[];
  permissions: ReadonlySet<Permission>;
};

/**
 * What a handler gets when the request carried `Authorization: Bearer mgk_...`
 * instead of a session: no user and no membership, the key instead.
 */
export type ApiKeyRouteContext<P extends TenantRouteParams> = {
  auth: "api_key";
  req: NextRequest;
  params: P;
  requestId: string;
  log: Logger;
  user: null;
  membership: null;
  apiKey: ApiKeyPrincipal;
  /** `{ type: "api_key", id: keyId }`: who audit entries name. */
  actor: Actor;
  tenant: TenantSummary;
  inTenant: <T>(fn: (tx: TxClient) => Promise<T>) => Promise<T>;
};

/** A handler's context on a route that accepts both sessions and API keys. */
export type AnyTenantRouteContext<P extends TenantRouteParams> = TenantRouteContext<P> | ApiKeyRouteContext<P>;

const INVALID_TOKEN = { "www-authenticate": 'Bearer realm="modelgate", error="invalid_token"' };
const invalidKey = () => new AppError("invalid_api_key", "Invalid API key", { headers: INVALID_TOKEN });

/** The token of `Authorization: Bearer <token>`, or null for any other header. */
export function bearerTokenOf(header: string | null): string | null {
  const m = header ? /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header) : null;
  return m ? m[1]! : null;
}

/** How long a key's `last_used_at` may lag behind its use on the management API. */
const LAST_USED_RESOLUTION_SECONDS = 30;

/**
 * Resolves a bearer API key for a tenant route, in the order that reveals
 * least: malformed (checksum, no database hit), unknown, revoked or expired →
 * 401 `invalid_api_key`, all alike; the key's tenant is not the URL's → 404
 * `not_found`, exactly what a session non-member gets; suspended tenant → 403;
 * the key's or tenant's IP allow-list → 403 `ip_not_allowed`. Throws, or
 * returns the key and its tenant.
 */
export async function authenticateApiKey(
  req: NextRequest,
  slug: string,
  now: number = Date.now(),
): Promise<{ record: KeyRecord; tenant: TenantSummary }> {
  const token = bearerTokenOf(req.headers.get("authorization"));
  if (!token || !isWellFormedApiKey(token)) throw invalidKey();
  const record = await lookupKeyByHash(hashApiKey(token));
  if (!record || record.revoked || (record.validUntil && record.validUntil.getTime() <= now)) throw invalidKey();

  const tenant = await getDb().tenant.findUnique({
    where: { id: record.tenantId },
    select: { id: true, name: true, slug: true, status: true, createdAt: true },
  });
  if (!tenant || tenant.slug !== slug) throw new AppError("not_found", "Tenant not found");
  if (tenant.status === "suspended") throw new AppError("tenant_suspended", "This tenant is suspended");

  if (record.ipAllowlist.length || record.tenant.ipAllowlist.length) {
    const text = clientIpOf(req);
    const ip = text ? parseIp(text) : null;
    if (!ip || !compileCidrs(record.ipAllowlist).contains(ip) || !compileCidrs(record.tenant.ipAllowlist).contains(ip)) {
      throw new AppError("ip_not_allowed", `Requests with this API key are not allowed from ${text ?? "an unknown address"}`);
    }
  }
  return { record, tenant };
}

/** Records that the key was used, at most every 30 s per key; never fails the request. */
async function touchLastUsed(record: KeyRecord, log: Logger): Promise<void> {
  try {
    await withTenant(record.tenantId, (tx) =>
      tx.$executeRaw`UPDATE api_keys SET last_used_at = now()
        WHERE tenant_id = ${record.tenantId}::uuid AND id = ${record.keyId}::uuid
          AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))`,
    );
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, "could not record key use");
  }
}

/**
 * The API-key half of withTenantRoute (lib/auth/tenant-route.ts), taken when a
 * request carries an `Authorization` header. No same-origin check: a bearer
 * header is never sent by a browser on its own, so there is no CSRF to stop.
 * After authenticateApiKey: a route that did not opt in with `apiKeys: true`
 * refuses keys (403), a step-up route refuses them (403
 * `step_up_unavailable`: a key cannot do MFA), and the key's scopes must grant
 * `permission` (403 `forbidden`).
 */
export function withApiKeyTenantRoute<P extends TenantRouteParams>(
  handler: (ctx: ApiKeyRouteContext<P>) => Promise<Response>,
  options: TenantRouteOptions & { apiKeys?: boolean; stepUp?: boolean },
): RouteHandler<P> {
  return async (req, segment) => {
    const requestId = requestIdOf(req);
    let log = withContext(routeLogger, { requestId });
    try {
      const params = await segment.params;
      const { record, tenant } = await authenticateApiKey(req, params.slug);
      log = withContext(log, { tenantId: tenant.id, actor: `api_key:${record.keyId}` });
      if (!options.apiKeys) {
        throw new AppError("forbidden", "This endpoint needs a signed-in console session; API keys cannot use it");
      }
      if (options.stepUp) {
        throw new AppError(
          "step_up_unavailable",
          "This action needs a recent MFA verification, which an API key cannot provide; do it in the console",
        );
      }
      const permissions = permissionsOfKeyScopes(record.scopes);
      if (!permissions.has(options.permission)) {
        throw new AppError("forbidden", `This API key's scopes (${record.scopes.join(", ")}) do not grant ${options.permission}`);
      }
      await touchLastUsed(record, log);
      const ctx: ApiKeyRouteContext<P> = {
        auth: "api_key",
        req,
        params,
        requestId,
        log,
        user: null,
        membership: null,
        apiKey: { id: record.keyId, scopes: record.scopes, permissions },
        actor: { type: "api_key", id: record.keyId },
        tenant,
        inTenant: (fn) => withTenant(tenant.id, fn),
      };
      return finishResponse(await handler(ctx), requestId);
    } catch (err) {
      return errorResponse(err, requestId, log);
    }
  };
}

/** Who did it and from where, for lib functions that write audit entries. */
export function auditContextOf(ctx: AnyTenantRouteContext<TenantRouteParams>): AuditContext {
  return {
    actor: ctx.actor,
    requestId: ctx.requestId,
    ip: clientIpOf(ctx.req),
    userAgent: ctx.req.headers.get("user-agent"),
  };
}

/**
 * Nobody hands out more than they hold. A key acting on keys may not create,
 * rotate (which reveals a new secret) or widen a key to a scope it lacks, so
 * `keys:write` is not a path to `models:write`. A signed-in member may not
 * issue a key whose scopes reach management permissions their role lacks, so
 * a developer cannot mint an `audit:read` key to read what their role may not.
 */
export function assertWithinActingKeyScopes(ctx: AnyTenantRouteContext<TenantRouteParams>, scopes: readonly string[]): void {
  if (ctx.auth !== "api_key") {
    const role = ctx.membership.role;
    const beyond = scopes.filter((s) => [...permissionsOfKeyScopes([s])].some((p) => !can(role, p)));
    if (beyond.length) {
      throw new AppError("forbidden", `Your role (${role}) cannot issue keys with ${beyond.join(", ")}: that would grant what the role lacks`);
    }
    return;
  }
  const missing = scopes.filter((s) => !ctx.apiKey.scopes.includes(s));
  if (missing.length) {
    throw new AppError("forbidden", `An API key can only issue keys within its own scopes; it lacks ${missing.join(", ")}`);
  }
}

/**
 * Gate for sensitive changes decided per request (key scopes, IP rules, model
 * allow-lists): an API key can never pass it (403 `step_up_unavailable`: it
 * cannot do MFA); a session needs a fresh MFA step-up (requireStepUp).
 * Synchronous like requireStepUp, so a forgotten `await` cannot skip it.
 */
export function requireStepUpForSensitiveChange(ctx: AnyTenantRouteContext<TenantRouteParams>): void {
  if (ctx.auth === "api_key") {
    throw new AppError(
      "step_up_unavailable",
      "Changing scopes, IP rules or models needs a recent MFA verification, which an API key cannot provide; do it in the console",
    );
  }
  requireStepUp(ctx);
}
