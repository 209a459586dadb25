import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { canonicalEntryJson, hashedEntry } from "./chain-format";

const base = {
  id: "11111111-1111-4111-8111-111111111111", tenantId: "22222222-2222-4222-8222-222222222222", seq: 7, createdAt: new Date("2026-11-26T08:00:00.123Z"),
  actorType: "api_key", actorId: "k-1", action: "key.rotate", targetType: "api_key", targetId: "k-2", outcome: "success",
  ip: "2001:db8::1", userAgent: 'curl/8 "quoted" \\ \n', requestId: "req-\u2028", details: { z: [1, 1e21, 0.1, { b: null, a: "é" }], a: true, "😀": "x" },
};

describe("canonicalEntryJson", () => {
  it.each([
    ["a full entry", base],
    ["nulls everywhere", { ...base, actorId: null, targetType: null, targetId: null, ip: null, userAgent: null, requestId: null, details: {} }],
    ["a target with only a type", { ...base, targetId: null }],
    ["control characters and unicode in strings", { ...base, action: "x.\u0001\u001f\u007f", ip: "\t" }],
  ])("writes exactly canonicalize(hashedEntry(row)) for %s", (_, row) => {
    expect(canonicalEntryJson(row)).toBe(canonicalize(hashedEntry(row)));
  });
});
