import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "pino";
import { createHandlers, type RouteHandler } from "./handlers";
import { AppError } from "../lib/errors/app-error";
import { defaultPipeline, type KeyResolver, type RequestContext, type Stage } from "./pipeline";
import { ClientGoneError } from "./pipeline/body-limit";
import type { DependencyCheck } from "./readiness";
import { resolveRequestId } from "./request-id";
import { sendError, sendJson } from "./respond";
import { createRouter, splitTarget, type RouteId, type Router } from "./router";

export type GatewayDeps = {
  logger: Logger;
  /** What /readyz and /v2/health/ready check (Postgres and Redis in production). */
  readiness: readonly DependencyCheck[];
  apiKeys?: KeyResolver;
  maxBodyBytes?: number;
  /** Replaces the default pipeline (gateway.ts wires the full one). */
  stages?: Stage[];
  handlers?: Partial<Record<RouteId, RouteHandler>>;
  /** Told about every response once it is over (metrics, usage, security log). */
  onResponse?: (done: FinishedRequest) => void;
};

/** One request, once its response is over (or the client went away). */
export type FinishedRequest = {
  requestId: string;
  method: string;
  path: string;
  routeId: string;
  status: number;
  durationMs: number;
  /** The error code when the gateway answered with an error. */
  errorCode?: string;
  /** Undefined when the request was refused before routing. */
  ctx?: RequestContext;
  aborted: boolean;
};

type ServerState = { draining: boolean };
const states = new WeakMap<http.Server, ServerState>();

const MAX_LOGGED_PATH = 256;

/** A body the client is still sending and that we will not read: refuse to drain it. */
function hasUnreadUnboundedBody(req: IncomingMessage): boolean {
  return !req.complete && req.headers["content-length"] === undefined && req.headers["transfer-encoding"] !== undefined;
}

/** Node's own parse errors (bad request line, oversized headers...), as our JSON error. */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  const busy = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === "ECONNRESET" || !socket.writable || busy) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const body = JSON.stringify({ error: { code: "bad_request", message: "Malformed HTTP request", request_id: requestId } });
  socket.end(
    "HTTP/1.1 400 Bad Request\r\n" +
      "content-type: application/json; charset=utf-8\r\n" +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${requestId}\r\n` +
      "connection: close\r\n\r\n" +
      body,
  );
}

/**
 * The data-plane HTTP server: route, then the pipeline stages in order, then
 * the route's handler. Every response is JSON and carries `x-request-id`.
 * Logs one line per request (method, route, path without query, status,
 * duration): never headers, query strings or bodies.
 */
export function createGatewayServer(deps: GatewayDeps): http.Server {
  const logger = deps.logger;
  const router: Router = createRouter();
  const stages = deps.stages ?? defaultPipeline({ maxBodyBytes: deps.maxBodyBytes, apiKeys: deps.apiKeys });
  const handlers = { ...createHandlers({ readiness: deps.readiness, logger }), ...deps.handlers };
  const state: ServerState = { draining: false };

  async function handle(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): Promise<void> {
    const started = performance.now();
    const requestId = resolveRequestId(req.headers["x-request-id"]);
    const { path, query } = splitTarget(req.url);
    const method = req.method ?? "GET";
    let routeId = "-";
    let errorCode: string | undefined;
    let ctx: RequestContext | undefined;
    res.setHeader("x-request-id", requestId);
    res.once("close", () => {
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      const loggedPath = path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}...` : path;
      const aborted = !res.writableFinished;
      // 499 (nginx's "client closed request"): nothing was answered.
      const status = aborted && !res.headersSent ? 499 : res.statusCode;
      logger.info(
        {
          request_id: requestId,
          method,
          route: routeId,
          path: loggedPath,
          status,
          duration_ms: durationMs,
          ...(ctx?.principal ? { tenant_id: ctx.principal.tenantId } : {}),
          ...(errorCode ? { code: errorCode } : {}),
          ...(aborted ? { aborted: true } : {}),
        },
        "request",
      );
      if (deps.onResponse) {
        try {
          deps.onResponse({ requestId, method, path: loggedPath, routeId, status, durationMs, errorCode, ctx, aborted });
        } catch (err) {
          logger.error({ request_id: requestId, err: { message: (err as Error).message } }, "response observer failed");
        }
      }
      if (state.draining) server.closeIdleConnections();
    });

    let bodyAccepted = !expectsContinue;
    const acceptBody = () => {
      if (bodyAccepted) return;
      bodyAccepted = true;
      res.writeContinue();
    };
    try {
      const { route, params } = router.match(method, path);
      routeId = route.id;
      ctx = {
        requestId,
        req,
        res,
        method,
        path,
        query,
        route,
        params,
        logger,
        responseHeaders: {},
        closeConnection: false,
        acceptBody,
      };
      for (const stage of stages) {
        if (stage.appliesTo(route)) await stage.run(ctx);
      }
      if (state.draining || !bodyAccepted) res.setHeader("connection", "close");
      const result = await handlers[route.id](ctx);
      if ("handled" in result) return;
      sendJson(res, result.status, result.body, { ...ctx.responseHeaders, ...result.headers });
    } catch (err) {
      if (err instanceof ClientGoneError || res.destroyed) {
        res.destroy();
        return;
      }
      errorCode = err instanceof AppError ? err.code : "internal_error";
      // A body we will not read (or were never sent) must not be drained: close instead.
      if (state.draining || ctx?.closeConnection || !bodyAccepted || hasUnreadUnboundedBody(req)) {
        res.setHeader("connection", "close");
      }
      sendError(res, err, requestId, logger, ctx?.responseHeaders);
    }
  }

  const server = http.createServer(
    { maxHeaderSize: 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000 },
    (req, res) => void handle(req, res, false).catch(() => res.destroy()),
  );
  // Expect: 100-continue: the checks before read-body run first, so a denied
  // client never sends its body.
  server.on("checkContinue", (req, res) => void handle(req, res, true).catch(() => res.destroy()));
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  server.on("clientError", onClientError);
  states.set(server, state);
  return server;
}

/**
 * Stops accepting connections, lets in-flight requests finish (their
 * responses close their connections) and resolves when all are done, or
 * cuts the remaining connections after `timeoutMs`.
 */
export function closeGatewayServer(server: http.Server, timeoutMs = 5_000): Promise<{ forced: boolean }> {
  const state = states.get(server);
  if (state) state.draining = true;
  return new Promise((resolve) => {
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve({ forced });
    });
    server.closeIdleConnections();
  });
}
