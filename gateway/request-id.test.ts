import { describe, expect, it } from "vitest";
import { resolveRequestId } from "./request-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("resolveRequestId", () => {
  it("keeps a valid incoming id", () => {
    expect(resolveRequestId("req_01HX.abc-DEF")).toBe("req_01HX.abc-DEF");
    expect(resolveRequestId("a".repeat(128))).toBe("a".repeat(128));
  });

  it("generates a uuid when the id is missing, too long, repeated or has other characters", () => {
    for (const bad of [undefined, "", "a".repeat(129), "a b", "a\r\nx-evil: 1", "id/1", "ü", ["a", "b"], "a, b"]) {
      expect(resolveRequestId(bad)).toMatch(UUID);
    }
  });

  it("generates a different id each time", () => {
    expect(resolveRequestId(undefined)).not.toBe(resolveRequestId(undefined));
  });
});
