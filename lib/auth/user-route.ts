import "server-only";
import type { Logger } from "pino";
import type { NextRequest } from "next/server";
import { AppError } from "../errors/app-error";
import { withContext } from "../log/logger";
import { getRequestSession } from "./request-session";
import { withRouteMeta } from "./route-meta";
import { assertSameOrigin, errorResponse, finishResponse, requestIdOf, routeLogger } from "./route-common";
import type { ActiveSession, SessionUser } from "./session-user";
import { requireStepUp } from "./step-up";

export type RouteParams = Record<string, string | string[] | undefined>;

/** What Next hands a route handler as its second argument (params are a Promise in Next 16). */
export type RouteSegment<P extends RouteParams> = { params: Promise<P> };

export type UserRouteContext<P extends RouteParams> = {
  req: NextRequest;
  params: P;
  user: SessionUser;
  /** The server-side session: MFA state and last step-up (see lib/auth/step-up.ts). */
  session: ActiveSession;
  requestId: string;
  log: Logger;
};

export type RouteHandler<P extends RouteParams> = (
  req: NextRequest,
  segment: RouteSegment<P>,
) => Promise<Response>;

export type UserRouteOptions = {
  /** A sensitive action: needs MFA enrolled and a step-up within the window (requireStepUp). */
  stepUp?: boolean;
};

/**
 * Wraps a route handler that needs a signed-in user and nothing more: request
 * id, same-origin check for writes, session (401 `unauthorized` without one),
 * step-up when asked for, and one error path through toErrorResponse.
 */
export function withUserRoute<P extends RouteParams = RouteParams>(
  handler: (ctx: UserRouteContext<P>) => Promise<Response>,
  options: UserRouteOptions = {},
): RouteHandler<P> {
  return withRouteMeta(userRoute(handler, options), { auth: "user", stepUp: options.stepUp ?? false });
}

/** withUserRoute without the route metadata (tenant routes declare their own). */
export function userRoute<P extends RouteParams>(
  handler: (ctx: UserRouteContext<P>) => Promise<Response>,
  options: UserRouteOptions = {},
): RouteHandler<P> {
  return async (req, segment) => {
    const requestId = requestIdOf(req);
    let log = withContext(routeLogger, { requestId });
    try {
      assertSameOrigin(req);
      const signedIn = await getRequestSession(req);
      if (!signedIn) throw new AppError("unauthorized", "Sign in to continue");
      const { user, session } = signedIn;
      log = withContext(log, { actor: `user:${user.id}` });
      if (options.stepUp) requireStepUp({ session });
      const params = await segment.params;
      return finishResponse(await handler({ req, params, user, session, requestId, log }), requestId);
    } catch (err) {
      return errorResponse(err, requestId, log);
    }
  };
}
