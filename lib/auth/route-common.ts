import "server-only";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { NextResponse } from "next/server";
import { getConfig } from "../config/env";
import { AppError, toErrorResponse } from "../errors/app-error";
import { createLogger } from "../log/logger";
import { formatIp, parseTrustedProxies, resolveClientIp, type CidrMatcher } from "../policy/ip-rules";

export const routeLogger: Logger = createLogger("web");

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's `x-request-id` when it is a plausible id, else a fresh one. */
export function requestIdOf(req: Request): string {
  const incoming = req.headers.get("x-request-id");
  return incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery guard for cookie-authenticated writes: a browser
 * always sends `Origin` on a cross-origin POST, so a foreign one is refused.
 * (SameSite=Lax and the JSON-only bodies below are the other two walls.)
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.get("origin");
  if (origin && origin !== new URL(getConfig().PUBLIC_URL).origin) {
    throw new AppError("forbidden", "Cross-origin request refused");
  }
}

/** The request body as JSON: 415 unless sent as application/json, 400 if malformed. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as application/json");
  }
  try {
    return await req.json();
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON");
  }
}

/** Headers every management API response carries. */
export function finishResponse(res: Response, requestId: string): Response {
  res.headers.set("x-request-id", requestId);
  if (!res.headers.has("cache-control")) res.headers.set("cache-control", "no-store");
  return res;
}

/**
 * Any thrown value as the API's JSON error. Unexpected errors are logged with
 * their stack and answered with a bare 500 that names nothing internal.
 */
export function errorResponse(err: unknown, requestId: string, log: Logger = routeLogger): Response {
  const { status, body, headers } = toErrorResponse(err, requestId);
  if (status >= 500) log.error({ err, request_id: requestId }, "request failed");
  return finishResponse(NextResponse.json(body, { status, headers }), requestId);
}

let trustedProxies: CidrMatcher | undefined;

/**
 * The client address for audit entries and API-key allow-lists, by the same
 * rule as the gateway: Next's server appends the TCP peer as the right-most
 * `x-forwarded-for` hop; when that peer is one of TRUSTED_PROXIES the hops are
 * walked leftwards to the first untrusted one. Entries left of it are the
 * client's own claims and are never believed.
 */
export function clientIpOf(req: Request): string | null {
  const hops = req.headers.get("x-forwarded-for")?.split(",").map((h) => h.trim()).filter(Boolean);
  if (!hops?.length) return req.headers.get("x-real-ip");
  trustedProxies ??= parseTrustedProxies(getConfig().TRUSTED_PROXIES);
  const peer = hops.at(-1)!;
  return formatIp(resolveClientIp(peer, hops.slice(0, -1).join(",") || undefined, trustedProxies));
}
