import "server-only";
import type { TxClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { withContext } from "../log/logger";
import { can, type Permission } from "./permissions";
import { findTenantAccess, type MembershipSummary, type TenantSummary } from "./tenant-access";
import { withUserRoute, type RouteHandler, type UserRouteContext } from "./user-route";

export type TenantRouteParams = { slug: string } & Record<string, string>;

export type TenantRouteContext<P extends TenantRouteParams> = UserRouteContext<P> & {
  tenant: TenantSummary;
  membership: MembershipSummary;
  /** Runs `fn` in a transaction scoped to this tenant (RLS): the handler's only way to its data. */
  inTenant: <T>(fn: (tx: TxClient) => Promise<T>) => Promise<T>;
};

export type TenantRouteOptions = { permission: Permission };

/**
 * Wraps a handler under `/api/v1/tenants/[slug]/...`. After withUserRoute's
 * checks it resolves the tenant through the user's membership — not a member
 * (or no such tenant) is 404 `not_found`, never 403, so tenant existence is not
 * revealed — then refuses a suspended tenant (403 `tenant_suspended`) and a
 * role without `permission` (403 `forbidden`).
 */
export function withTenantRoute<P extends TenantRouteParams = { slug: string }>(
  handler: (ctx: TenantRouteContext<P>) => Promise<Response>,
  options: TenantRouteOptions,
): RouteHandler<P> {
  return withUserRoute<P>(async (ctx) => {
    const access = await findTenantAccess(ctx.user.id, ctx.params.slug);
    if (!access) throw new AppError("not_found", "Tenant not found");
    const { tenant, membership } = access;
    if (tenant.status === "suspended") {
      throw new AppError("tenant_suspended", "This tenant is suspended");
    }
    if (!can(membership.role, options.permission)) {
      throw new AppError("forbidden", `Your role (${membership.role}) lacks ${options.permission}`);
    }
    return handler({
      ...ctx,
      log: withContext(ctx.log, { tenantId: tenant.id }),
      tenant,
      membership,
      inTenant: (fn) => withTenant(tenant.id, fn),
    });
  });
}
