import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "pino";
import { createHandlers, type RouteHandler } from "./handlers";
import { AppError } from "../lib/errors/app-error";
import { defaultPipeline, type KeyResolver, type RequestContext, type Stage } from "./pipeline";
import { Exchange, GatewayRequestContext, isPromise, runStages } from "./exchange";
import { ClientGoneError } from "./pipeline/body-limit";
import type { DependencyCheck } from "./readiness";
import { resolveRequestId } from "./request-id";
import { sendError, sendJson, type HandlerResult } from "./respond";
import { createRouter, splitTarget, type RouteDef, type RouteId, type Router } from "./router";

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

const EXCHANGE = Symbol("modelgate.exchange");
type TrackedResponse = ServerResponse & { [EXCHANGE]?: Exchange };

/**
 * The data-plane HTTP server: route, then the pipeline stages in order, then
 * the route's handler. Every response is JSON and carries `x-request-id`.
 * Logs one line per request (method, route, path without query, status,
 * duration; never headers, query strings or bodies): at `info` for denials,
 * errors and requests the client abandoned, at `debug` for the rest, so a
 * busy gateway does not spend its time on one log line per success (metrics
 * and usage records count those).
 */
export function createGatewayServer(deps: GatewayDeps): http.Server {
  const logger = deps.logger;
  const router: Router = createRouter();
  const stages = deps.stages ?? defaultPipeline({ maxBodyBytes: deps.maxBodyBytes, apiKeys: deps.apiKeys });
  const handlers = { ...createHandlers({ readiness: deps.readiness, logger }), ...deps.handlers };
  const state: ServerState = { draining: false };
  // Each route's stages, chosen once.
  const stagesOf = new Map<RouteDef, Stage[]>();
  const routeStages = (route: RouteDef): Stage[] => {
    let list = stagesOf.get(route);
    if (!list) stagesOf.set(route, (list = stages.filter((s) => s.appliesTo(route))));
    return list;
  };

  /** The one `close` listener of every response (shared: no closure per request). */
  function onResponseClose(this: TrackedResponse): void {
    responseClosed(this);
  }

  function responseClosed(res: TrackedResponse): void {
    const exchange = res[EXCHANGE];
    if (!exchange) return;
    res[EXCHANGE] = undefined;
    const aborted = !res.writableFinished;
    if (aborted) exchange.ctx?.inFlight?.clientGone();
    exchange.durationMs = Math.round((performance.now() - exchange.started) * 100) / 100;
    if (exchange.path.length > MAX_LOGGED_PATH) exchange.path = `${exchange.path.slice(0, MAX_LOGGED_PATH)}...`;
    exchange.aborted = aborted;
    // 499 (nginx's "client closed request"): nothing was answered.
    exchange.status = aborted && !res.headersSent ? 499 : res.statusCode;
    const quiet = !aborted && exchange.errorCode === undefined && exchange.status < 400;
    if (quiet ? logger.isLevelEnabled("debug") : logger.isLevelEnabled("info")) {
      const principal = exchange.ctx?.principal;
      (quiet ? logger.debug : logger.info).call(
        logger,
        {
          request_id: exchange.requestId,
          method: exchange.method,
          route: exchange.routeId,
          path: exchange.path,
          status: exchange.status,
          duration_ms: exchange.durationMs,
          ...(principal ? { tenant_id: principal.tenantId } : {}),
          ...(exchange.errorCode ? { code: exchange.errorCode } : {}),
          ...(aborted ? { aborted: true } : {}),
        },
        "request",
      );
    }
    if (deps.onResponse) {
      try {
        deps.onResponse(exchange);
      } catch (err) {
        logger.error({ request_id: exchange.requestId, err: { message: (err as Error).message } }, "response observer failed");
      }
    }
    if (state.draining) server.closeIdleConnections();
  }

  /** Answers `err` as ModelGate's JSON error; never throws (a response that cannot be written is cut). */
  function fail(exchange: Exchange, req: IncomingMessage, res: ServerResponse, err: unknown): void {
    try {
      if (err instanceof ClientGoneError || res.destroyed) {
        res.destroy();
        return;
      }
      const ctx = exchange.ctx;
      exchange.errorCode = err instanceof AppError ? err.code : "internal_error";
      const bodyAccepted = ctx ? ctx.bodyAccepted : !exchange.expectsContinue;
      // A body we will not read (or were never sent) must not be drained: close instead.
      if (state.draining || ctx?.closeConnection || !bodyAccepted || hasUnreadUnboundedBody(req)) {
        res.setHeader("connection", "close");
      }
      sendError(res, err, exchange.requestId, logger, ctx?.responseHeaders);
    } catch {
      res.destroy();
    }
  }

  function answer(exchange: Exchange, req: IncomingMessage, res: ServerResponse, ctx: GatewayRequestContext, result: HandlerResult): void {
    try {
      if ("handled" in result) return;
      sendJson(res, exchange.requestId, result.status, result.body, { ...ctx.responseHeaders, ...result.headers });
    } catch (err) {
      fail(exchange, req, res, err);
    }
  }

  function respond(exchange: Exchange, req: IncomingMessage, res: ServerResponse, ctx: GatewayRequestContext): void {
    let result: HandlerResult | Promise<HandlerResult>;
    try {
      if (state.draining || !ctx.bodyAccepted) res.setHeader("connection", "close");
      result = handlers[ctx.route.id](ctx);
    } catch (err) {
      fail(exchange, req, res, err);
      return;
    }
    if (isPromise(result)) {
      result.then(
        (r) => answer(exchange, req, res, ctx, r),
        (err: unknown) => fail(exchange, req, res, err),
      );
    } else {
      answer(exchange, req, res, ctx, result);
    }
  }

  function handle(req: IncomingMessage, res: TrackedResponse, expectsContinue: boolean): void {
    const started = performance.now();
    const requestId = resolveRequestId(req.headers["x-request-id"]);
    const { path, query } = splitTarget(req.url);
    const method = req.method ?? "GET";
    const exchange = new Exchange(requestId, method, path, started, expectsContinue);
    res[EXCHANGE] = exchange;
    res.on("close", onResponseClose);
    let ctx: GatewayRequestContext;
    let pending: void | Promise<void>;
    try {
      const { route, params } = router.match(method, path);
      exchange.routeId = route.id;
      ctx = new GatewayRequestContext(requestId, req, res, method, path, query, route, params, logger, !expectsContinue, exchange, fail);
      exchange.ctx = ctx;
      pending = runStages(routeStages(route), ctx);
    } catch (err) {
      fail(exchange, req, res, err);
      return;
    }
    if (pending) {
      pending.then(
        () => respond(exchange, req, res, ctx),
        (err: unknown) => fail(exchange, req, res, err),
      );
    } else {
      respond(exchange, req, res, ctx);
    }
  }

  const guarded = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    try {
      handle(req, res, expectsContinue);
    } catch {
      res.destroy();
    }
  };
  const server = http.createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) =>
    guarded(req, res, false),
  );
  // Expect: 100-continue: the checks before read-body run first, so a denied
  // client never sends its body.
  server.on("checkContinue", (req, res) => guarded(req, res, true));
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
