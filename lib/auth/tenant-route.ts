import "server-only";
import type { Actor } from "../audit/record-audit";
import type { TxClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { withContext } from "../log/logger";
import { withApiKeyTenantRoute, type ApiKeyRouteContext } from "./api-key-auth";
import { can, type Permission } from "./permissions";
import { withRouteMeta } from "./route-meta";
import { requireStepUp } from "./step-up";
import { findTenantAccess, type MembershipSummary, type TenantSummary } from "./tenant-access";
import { userRoute, type RouteHandler, type UserRouteContext } from "./user-route";

export type TenantRouteParams = { slug: string } & Record<string, string>;

export type TenantRouteContext<P extends TenantRouteParams> = UserRouteContext<P> & {
  auth: "session";
  /** `{ type: "user", id }`: who audit entries name. */
  actor: Actor;
  tenant: TenantSummary;
  membership: MembershipSummary;
  /** Runs `fn` in a transaction scoped to this tenant (RLS): the handler's only way to its data. */
  inTenant: <T>(fn: (tx: TxClient) => Promise<T>) => Promise<T>;
};

export type TenantRouteOptions = {
  permission: Permission;
  /**
   * Also accept `Authorization: Bearer mgk_...` (lib/auth/api-key-auth.ts);
   * the handler then gets an ApiKeyRouteContext (no user, no membership).
   * Without it a key is refused with 403.
   */
  apiKeys?: boolean;
  /**
   * A sensitive action (lib/auth/step-up.ts): after the permission check the
   * session needs MFA enrolled (else 403 `mfa_enrollment_required`) and a
   * step-up within STEP_UP_WINDOW_SECONDS (else 401 `step_up_required`).
   */
  stepUp?: boolean;
};

/**
 * Wraps a handler under `/api/v1/tenants/[slug]/...`. After withUserRoute's
 * checks it resolves the tenant through the user's membership — not a member
 * (or no such tenant) is 404 `not_found`, never 403, so tenant existence is not
 * revealed — then refuses a suspended tenant (403 `tenant_suspended`) and a
 * role without `permission` (403 `forbidden`) and, on `stepUp` routes, a
 * session without MFA or a fresh step-up (403 / 401). A request with an
 * `Authorization` header is authenticated by API key instead (see
 * withApiKeyTenantRoute); only routes with `apiKeys: true` accept one.
 */
export function withTenantRoute<P extends TenantRouteParams = { slug: string }>(
  handler: (ctx: TenantRouteContext<P> | ApiKeyRouteContext<P>) => Promise<Response>,
  options: TenantRouteOptions & { apiKeys: true },
): RouteHandler<P>;
export function withTenantRoute<P extends TenantRouteParams = { slug: string }>(
  handler: (ctx: TenantRouteContext<P>) => Promise<Response>,
  options: TenantRouteOptions & { apiKeys?: false },
): RouteHandler<P>;
export function withTenantRoute<P extends TenantRouteParams = { slug: string }>(
  handler:
    | ((ctx: TenantRouteContext<P>) => Promise<Response>)
    | ((ctx: TenantRouteContext<P> | ApiKeyRouteContext<P>) => Promise<Response>),
  options: TenantRouteOptions,
): RouteHandler<P> {
  // Any Authorization header means "authenticate me by API key", never a
  // fallback to the session cookie that may ride along. The key path runs the
  // handler only when `options.apiKeys` is set, i.e. for the first overload.
  const byApiKey = withApiKeyTenantRoute<P>(handler as (ctx: ApiKeyRouteContext<P>) => Promise<Response>, options);
  const bySession = userRoute<P>(async (ctx) => {
    const access = await findTenantAccess(ctx.user.id, ctx.params.slug);
    if (!access) throw new AppError("not_found", "Tenant not found");
    const { tenant, membership } = access;
    if (tenant.status === "suspended") {
      throw new AppError("tenant_suspended", "This tenant is suspended");
    }
    if (!can(membership.role, options.permission)) {
      throw new AppError("forbidden", `Your role (${membership.role}) lacks ${options.permission}`);
    }
    if (options.stepUp) requireStepUp(ctx);
    return handler({
      ...ctx,
      auth: "session",
      actor: { type: "user", id: ctx.user.id },
      log: withContext(ctx.log, { tenantId: tenant.id }),
      tenant,
      membership,
      inTenant: (fn) => withTenant(tenant.id, fn),
    });
  });
  const route: RouteHandler<P> = (req, segment) =>
    req.headers.has("authorization") ? byApiKey(req, segment) : bySession(req, segment);
  return withRouteMeta(route, {
    auth: "tenant",
    permission: options.permission,
    stepUp: options.stepUp ?? false,
    apiKeys: options.apiKeys ?? false,
  });
}
