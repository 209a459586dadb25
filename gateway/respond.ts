import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import { AppError, toErrorResponse } from "../lib/errors/app-error";

const BASE_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
} as const;

export type GatewayResponse = { status: number; body: unknown; headers?: Record<string, string> };

/** What a route handler returns: a JSON response to send, or `handled` when it wrote (streamed) its own. */
export type HandlerResult = GatewayResponse | { handled: true };

/** Writes a JSON response (the `x-request-id` header is already set on `res`). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...BASE_HEADERS, ...headers, "content-length": Buffer.byteLength(payload) });
  res.end(payload);
}

/**
 * Writes any thrown value as the JSON error of ModelGate. Anything that is not
 * an AppError is logged here (message and stack, never the request) and
 * answered with a bare 500.
 */
export function sendError(
  res: ServerResponse,
  err: unknown,
  requestId: string,
  logger: Logger,
  extraHeaders: Record<string, string> = {},
): void {
  if (!(err instanceof AppError)) {
    const e = err as Error;
    logger.error({ request_id: requestId, err: { name: e?.name, message: e?.message, stack: e?.stack } }, "unhandled error");
  }
  const { status, body, headers } = toErrorResponse(err, requestId);
  sendJson(res, status, body, { ...extraHeaders, ...headers });
}
