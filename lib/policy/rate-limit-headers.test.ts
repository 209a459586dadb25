import { describe, expect, it } from "vitest";
import { combineRateLimitHeaders, rateLimitHeaders, sfString } from "./rate-limit-headers";
import type { RateDecision } from "./rate-limiter";

const limit = { requests: 100, windowSeconds: 60 };
const allowed: RateDecision = { allowed: true, limit: 100, remaining: 42, resetSeconds: 17, retryAfterSeconds: 0 };
const denied: RateDecision = { allowed: false, limit: 100, remaining: 0, resetSeconds: 17, retryAfterSeconds: 17 };

describe("rateLimitHeaders", () => {
  it("writes RateLimit-Policy and RateLimit as Structured Field lists (draft-ietf-httpapi-ratelimit-headers)", () => {
    expect(rateLimitHeaders("key", allowed, limit)).toEqual({
      "ratelimit-policy": '"key";q=100;w=60',
      ratelimit: '"key";r=42;t=17',
    });
  });

  it("adds Retry-After on a denial, at least 1 second", () => {
    expect(rateLimitHeaders("tenant", denied, limit)).toEqual({
      "ratelimit-policy": '"tenant";q=100;w=60',
      ratelimit: '"tenant";r=0;t=17',
      "retry-after": "17",
    });
    expect(rateLimitHeaders("t", { ...denied, retryAfterSeconds: 0, resetSeconds: 0 }, limit)["retry-after"]).toBe("1");
  });

  it("never writes a negative or fractional integer", () => {
    const h = rateLimitHeaders("k", { ...allowed, remaining: -3, resetSeconds: 2.7 }, limit);
    expect(h.ratelimit).toBe('"k";r=0;t=2');
  });

  it("quotes policy names as sf-strings: escapes quote and backslash, replaces non-printable", () => {
    expect(sfString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(sfString("key\né")).toBe('"key__"');
  });

  it("combines several policies into one list per field and keeps the longest Retry-After", () => {
    const key = rateLimitHeaders("key", allowed, limit);
    const tenant = rateLimitHeaders("tenant", { ...denied, retryAfterSeconds: 30 }, { requests: 1000, windowSeconds: 3600 });
    expect(combineRateLimitHeaders(key, tenant)).toEqual({
      "ratelimit-policy": '"key";q=100;w=60, "tenant";q=1000;w=3600',
      ratelimit: '"key";r=42;t=17, "tenant";r=0;t=17',
      "retry-after": "30",
    });
  });
});
