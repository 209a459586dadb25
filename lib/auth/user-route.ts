import "server-only";
import type { Logger } from "pino";
import type { NextRequest } from "next/server";
import { AppError } from "../errors/app-error";
import { withContext } from "../log/logger";
import { getRequestUser } from "./request-session";
import { assertSameOrigin, errorResponse, finishResponse, requestIdOf, routeLogger } from "./route-common";
import type { SessionUser } from "./session-user";

export type RouteParams = Record<string, string | string[] | undefined>;

/** What Next hands a route handler as its second argument (params are a Promise in Next 16). */
export type RouteSegment<P extends RouteParams> = { params: Promise<P> };

export type UserRouteContext<P extends RouteParams> = {
  req: NextRequest;
  params: P;
  user: SessionUser;
  requestId: string;
  log: Logger;
};

export type RouteHandler<P extends RouteParams> = (
  req: NextRequest,
  segment: RouteSegment<P>,
) => Promise<Response>;

/**
 * Wraps a route handler that needs a signed-in user and nothing more: request
 * id, same-origin check for writes, session (401 `unauthorized` without one),
 * and one error path through toErrorResponse.
 */
export function withUserRoute<P extends RouteParams = RouteParams>(
  handler: (ctx: UserRouteContext<P>) => Promise<Response>,
): RouteHandler<P> {
  return async (req, segment) => {
    const requestId = requestIdOf(req);
    let log = withContext(routeLogger, { requestId });
    try {
      assertSameOrigin(req);
      const user = await getRequestUser(req);
      if (!user) throw new AppError("unauthorized", "Sign in to continue");
      log = withContext(log, { actor: `user:${user.id}` });
      const params = await segment.params;
      return finishResponse(await handler({ req, params, user, requestId, log }), requestId);
    } catch (err) {
      return errorResponse(err, requestId, log);
    }
  };
}
