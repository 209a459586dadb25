import type { IncomingHttpHeaders } from "node:http";
import { Pool, util } from "undici";
import { AppError } from "../lib/errors/app-error";
import { guardedLookup } from "../lib/models/backend-url-guard";

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

/** Connection options that name no other field: the usual value needs no further work. */
const PLAIN_CONNECTION = /^\s*(?:keep-alive|close)\s*$/i;

/** The field names a `Connection` header lists (RFC 9110 §7.6.1): they describe this hop only. */
function connectionTokens(value: string | string[] | undefined): Set<string> | null {
  if (value === undefined || (typeof value === "string" && PLAIN_CONNECTION.test(value))) return null;
  const text = Array.isArray(value) ? value.join(",") : value;
  return new Set(text.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/** The headers sent to the backend for a client request. */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, requestId: string, bodyLength?: number): Record<string, string> {
  const named = connectionTokens(incoming.connection);
  const out: Record<string, string> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || HOP_BY_HOP.has(name) || NOT_FORWARDED.has(name) || named?.has(name)) continue;
    out[name] = typeof value === "string" ? value : value.join(", ");
  }
  out["x-request-id"] = requestId;
  if (bodyLength !== undefined) out["content-length"] = String(bodyLength);
  return out;
}

function returned(lower: string, named: Set<string> | null): boolean {
  return !((HOP_BY_HOP.has(lower) && lower !== "content-length") || NOT_RETURNED.has(lower) || named?.has(lower));
}

/** The backend's response headers as passed to the client. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const named = connectionTokens(upstream.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    const lower = name.toLowerCase();
    if (value === undefined || !returned(lower, named)) continue;
    out[lower] = value;
  }
  return out;
}

/**
 * The backend's raw response headers (undici's `[name, value, ...]` buffers)
 * as a flat list for `writeHead`, filtered as `clientResponseHeaders` does and
 * followed by `extra` (which replaces a backend field of the same name) and
 * `x-request-id`. Repeated fields stay repeated.
 */
export function clientResponseHeaderList(raw: readonly Buffer[], extra: Readonly<Record<string, string>>, requestId: string): string[] {
  const names: string[] = new Array<string>(raw.length >> 1);
  let connection: string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = util.headerNameToString(raw[i]!);
    names[i >> 1] = name;
    if (name === "connection") (connection ??= []).push(raw[i + 1]!.toString("latin1"));
  }
  const named = connectionTokens(connection?.length === 1 ? connection[0] : connection);
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (!returned(name, named) || Object.hasOwn(extra, name)) continue;
    out.push(name, raw[2 * i + 1]!.toString("latin1"));
  }
  for (const name in extra) out.push(name, extra[name]!);
  out.push("x-request-id", requestId);
  return out;
}

export type UpstreamFailure = "timeout" | "unreachable";

/** Classifies an undici failure: a timeout is 504, anything else on the way is 502. */
export function upstreamError(err: unknown): { kind: UpstreamFailure; error: AppError } {
  const code = (err as { code?: string })?.code ?? "";
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return { kind: "timeout", error: new AppError("gateway_timeout", "The model backend did not answer in time") };
  }
  if (code === "EBACKENDFORBIDDEN") {
    return { kind: "unreachable", error: new AppError("bad_gateway", "The model backend's address is not allowed") };
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
        pipelining: 1,
        // Every address a backend name resolves to is checked when the socket
        // connects (SSRF guard; DNS rebinding). IP literals are checked when
        // the routing table loads (gateway/model-cache.ts).
        connect: { timeout: 5_000, lookup: guardedLookup },
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
