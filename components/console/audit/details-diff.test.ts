import { describe, expect, it } from "vitest";
import { contextOf, diffDetails } from "./details-diff";

describe("diffDetails", () => {
  it("lines up before and after field by field, flattening nested objects", () => {
    expect(
      diffDetails({
        before: { name: "ci", scopes: ["inference"], rateLimit: { requests: 10, windowSeconds: 60 } },
        after: { name: "ci", scopes: ["inference", "models:read"], rateLimit: { requests: 20, windowSeconds: 60 }, ips: ["10.0.0.0/8"] },
        reason: "rotation",
      }),
    ).toEqual([
      { path: "ips", before: null, after: '["10.0.0.0/8"]', change: "added" },
      { path: "name", before: "ci", after: "ci", change: "same" },
      { path: "rateLimit.requests", before: "10", after: "20", change: "changed" },
      { path: "rateLimit.windowSeconds", before: "60", after: "60", change: "same" },
      { path: "scopes", before: '["inference"]', after: '["inference","models:read"]', change: "changed" },
    ]);
  });

  it("treats a missing side as added or removed, and no before/after as no diff", () => {
    expect(diffDetails({ before: { status: "active" } })).toEqual([{ path: "status", before: "active", after: null, change: "removed" }]);
    expect(diffDetails({ email: "a@example.test" })).toBeNull();
    expect(contextOf({ before: {}, after: {}, reason: "x", n: 2 })).toEqual([["reason", "x"], ["n", "2"]]);
  });
});
