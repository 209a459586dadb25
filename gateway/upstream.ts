import type { IncomingHttpHeaders } from "node:http";
import { Pool } from "undici";
import { AppError } from "../lib/errors/app-error";

/** Hop-by-hop fields (RFC 9110 §7.6.1) and others that describe one connection, not the message. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "expect",
]);

/**
 * Never forwarded upstream: the client's credentials (the backend has its
 * own), forwarding claims we did not verify, and Accept-Encoding (responses
 * stay identity-encoded so the gateway can read their token usage).
 */
const NOT_FORWARDED = new Set(["authorization", "cookie", "x-api-key", "x-forwarded-for", "forwarded", "x-real-ip", "accept-encoding", "x-request-id"]);

/** Not passed back to the client: connection fields, and cookies a backend might set. */
const NOT_RETURNED = new Set(["set-cookie", "x-request-id"]);

function connectionTokens(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  return new Set(text.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/** The headers sent to the backend for a client request. */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, requestId: string, bodyLength?: number): Record<string, string> {
  const named = connectionTokens(incoming.connection);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || NOT_FORWARDED.has(name) || named.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  out["x-request-id"] = requestId;
  if (bodyLength !== undefined) out["content-length"] = String(bodyLength);
  return out;
}

/** The backend's response headers as passed to the client. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const named = connectionTokens(upstream.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    const lower = name.toLowerCase();
    if (value === undefined || (HOP_BY_HOP.has(lower) && lower !== "content-length") || NOT_RETURNED.has(lower) || named.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

export type UpstreamFailure = "timeout" | "unreachable";

/** Classifies an undici failure: a timeout is 504, anything else on the way is 502. */
export function upstreamError(err: unknown): { kind: UpstreamFailure; error: AppError } {
  const code = (err as { code?: string })?.code ?? "";
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return { kind: "timeout", error: new AppError("gateway_timeout", "The model backend did not answer in time") };
  }
  return { kind: "unreachable", error: new AppError("bad_gateway", "The model backend could not be reached") };
}

/**
 * One keep-alive connection pool per backend origin, shared by every tenant
 * and model on it (per-tenant concurrency limits keep any one tenant from
 * holding all `connections`).
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly opts: { connections: number; keepAliveTimeoutMs?: number }) {}

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.opts.connections,
        keepAliveTimeout: this.opts.keepAliveTimeoutMs ?? 4_000,
        connectTimeout: 5_000,
        pipelining: 1,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((p) => p.close()));
  }
}

/** Splits a model's backend URL into the pool origin and the path prefix requests go under. */
export function backendTarget(backendUrl: string): { origin: string; basePath: string } {
  const url = new URL(backendUrl);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}
