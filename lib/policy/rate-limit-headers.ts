import type { Limit, RateDecision } from "./rate-limiter";

/**
 * Response header fields of draft-ietf-httpapi-ratelimit-headers (-10/-11),
 * both Structured Field Lists whose members are a quoted policy name with
 * parameters:
 *
 *   RateLimit-Policy: "key";q=100;w=60        quota q per window w seconds
 *   RateLimit: "key";r=42;t=17                r left, t seconds until reset
 *
 * plus `Retry-After` (RFC 9110, delay-seconds) on a denial. Names are lower-case
 * (HTTP field names are case-insensitive; node writes them as given).
 */

/** A policy name as a Structured Field String: printable ASCII, `"` and `\` escaped. */
export function sfString(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, "_");
  return `"${printable.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Structured Field Integers are at most 15 digits and here never negative. */
const sfInteger = (n: number) => String(Math.min(999_999_999_999_999, Math.max(0, Math.floor(n))));

export function rateLimitHeaders(policyName: string, d: RateDecision, limit: Limit): Record<string, string> {
  const name = sfString(policyName);
  const headers: Record<string, string> = {
    "ratelimit-policy": `${name};q=${sfInteger(limit.requests)};w=${sfInteger(limit.windowSeconds)}`,
    ratelimit: `${name};r=${sfInteger(d.remaining)};t=${sfInteger(d.resetSeconds)}`,
  };
  if (!d.allowed) headers["retry-after"] = sfInteger(Math.max(1, d.retryAfterSeconds));
  return headers;
}

/**
 * Several policies on one response (e.g. per key and per tenant): list members
 * joined with ", " under one field each; Retry-After is the longest wait.
 */
export function combineRateLimitHeaders(...parts: Record<string, string>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parts) {
    for (const [name, value] of Object.entries(part)) {
      if (name === "retry-after") {
        out[name] = String(Math.max(Number(out[name] ?? 0), Number(value)));
      } else {
        out[name] = out[name] ? `${out[name]}, ${value}` : value;
      }
    }
  }
  return out;
}
