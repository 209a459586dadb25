import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
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

/**
 * `writeHead` with a flat `[name, value, ...]` list. Without headers set
 * beforehand (the usual case) node takes the list as is, repeated fields
 * included; with some (the server only ever sets `connection: close`), node
 * would merge the list into them one `setHeader` at a time, last value wins,
 * so repeated fields are grouped first.
 */
export function writeHeadList(res: ServerResponse, status: number, list: readonly string[]): void {
  if (!res.hasHeader("connection")) {
    res.writeHead(status, list as string[]);
    return;
  }
  const grouped: OutgoingHttpHeaders = Object.create(null) as OutgoingHttpHeaders;
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!;
    const value = list[i + 1]!;
    const seen = grouped[name];
    grouped[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [String(seen), value];
  }
  res.writeHead(status, grouped);
}

/** Writes a JSON response carrying `x-request-id`. */
export function sendJson(res: ServerResponse, requestId: string, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...BASE_HEADERS, ...headers, "content-length": Buffer.byteLength(payload), "x-request-id": requestId });
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
  sendJson(res, requestId, status, body, { ...extraHeaders, ...headers });
}
