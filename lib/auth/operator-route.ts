import "server-only";
import type { TxClient } from "../db/client";
import { withOperatorRead } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { withContext } from "../log/logger";
import { canOnPlatform, type PlatformPermission } from "./permissions";
import { clientIpOf } from "./route-common";
import { withRouteMeta } from "./route-meta";
import { requireStepUp } from "./step-up";
import { userRoute, type RouteHandler, type RouteParams, type UserRouteContext } from "./user-route";

export type OperatorActor = { type: "operator"; id: string };

export type OperatorRouteContext<P extends RouteParams> = UserRouteContext<P> & {
  auth: "operator";
  /** `{ type: "operator", id: userId }`: who audit entries name. */
  actor: OperatorActor;
  /** Who did it and from where, ready to spread into an AuditContext. */
  audit: { actor: OperatorActor; requestId: string; ip: string | null; userAgent: string | null };
  /**
   * Reads across tenants through the one audited path (withOperatorRead):
   * read-only, and a platform audit entry naming `resource` and `reason` is
   * written in the same transaction.
   */
  operatorRead: <T>(resource: string, reason: string, fn: (tx: TxClient) => Promise<T>) => Promise<T>;
};

export type OperatorRouteOptions = {
  permission: PlatformPermission;
  /** A sensitive platform action (quota change, suspension): MFA enrolled + fresh step-up. */
  stepUp?: boolean;
};

/**
 * Wraps a handler under `/api/v1/operator/...`. After withUserRoute's checks
 * (session, same origin) it requires a platform operator (users.is_operator,
 * read fresh from the database on every request, never from the token) who
 * holds `permission` (PLATFORM_PERMISSIONS). Anyone else gets 404 `not_found`,
 * so the operator API does not reveal that it exists. `stepUp` routes then
 * need MFA and a fresh step-up (403 / 401), as tenant routes do.
 */
export function withOperatorRoute<P extends RouteParams = RouteParams>(
  handler: (ctx: OperatorRouteContext<P>) => Promise<Response>,
  options: OperatorRouteOptions,
): RouteHandler<P> {
  const route = userRoute<P>(async (ctx) => {
    if (!canOnPlatform(ctx.user, options.permission)) throw new AppError("not_found", "Not found");
    if (options.stepUp) requireStepUp(ctx);
    const actor: OperatorActor = { type: "operator", id: ctx.user.id };
    return handler({
      ...ctx,
      auth: "operator",
      actor,
      log: withContext(ctx.log, { actor: `operator:${ctx.user.id}` }),
      audit: { actor, requestId: ctx.requestId, ip: clientIpOf(ctx.req), userAgent: ctx.req.headers.get("user-agent") },
      operatorRead: (resource, reason, fn) =>
        withOperatorRead({ actor: { type: "user", id: ctx.user.id }, resource, reason, requestId: ctx.requestId }, fn),
    });
  });
  return withRouteMeta(route, { auth: "operator", permission: options.permission, stepUp: options.stepUp ?? false });
}
