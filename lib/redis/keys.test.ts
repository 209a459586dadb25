import { describe, expect, it } from "vitest";
import { globalKey, RedisKeyError, tenantKey } from "./keys";

const TENANT = "3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60";

describe("tenantKey", () => {
  it("puts the tenant id right after mg:t:", () => {
    expect(tenantKey(TENANT, "rl", "key", "abc")).toBe(`mg:t:${TENANT}:rl:key:abc`);
  });

  it("canonicalises the tenant id to lower case, so one tenant has one set of keys", () => {
    expect(tenantKey(TENANT.toUpperCase(), "quota")).toBe(tenantKey(TENANT, "quota"));
  });

  it("refuses a missing or malformed tenant id", () => {
    for (const bad of ["", "tenant-a", `${TENANT}x`, `x${TENANT}`, "*", undefined as unknown as string]) {
      expect(() => tenantKey(bad, "x")).toThrow(RedisKeyError);
    }
  });

  it("refuses parts that could fake another key's layout, and keys without parts", () => {
    expect(() => tenantKey(TENANT)).toThrow(RedisKeyError);
    expect(() => tenantKey(TENANT, "a:b")).toThrow(RedisKeyError);
    expect(() => tenantKey(TENANT, "")).toThrow(RedisKeyError);
    expect(() => tenantKey(TENANT, "a b")).toThrow(RedisKeyError);
    expect(() => tenantKey(TENANT, "a*")).toThrow(RedisKeyError);
  });
});

describe("globalKey", () => {
  it("builds mg:... keys and leaves the tenant namespace to tenantKey", () => {
    expect(globalKey("workers", "heartbeat")).toBe("mg:workers:heartbeat");
    expect(() => globalKey("t", TENANT, "x")).toThrow(RedisKeyError);
    expect(() => globalKey()).toThrow(RedisKeyError);
  });
});
