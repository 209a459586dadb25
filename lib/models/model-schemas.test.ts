import { describe, expect, it } from "vitest";
import { credentialInput, createModelInput, splitInput, touchesSensitiveModelFields, touchesSensitiveVersionFields } from "./model-schemas";

describe("model registry input schemas", () => {
  it("knows the four protocols and nothing else", () => {
    for (const protocol of ["openai", "kserve-v2", "torchserve", "tfserving"]) {
      expect(createModelInput.safeParse({ name: "m", protocol, url: "http://x" }).success).toBe(true);
    }
    const bad = createModelInput.safeParse({ name: "m", protocol: "grpc", url: "http://x" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(["protocol"]);
  });

  it("takes a bearer token or a custom header, never one the gateway owns or a value with a line break", () => {
    expect(credentialInput.parse({ kind: "header", header: "X-Api-Key", value: "s" })).toEqual({ kind: "header", header: "x-api-key", value: "s" });
    expect(credentialInput.safeParse({ kind: "bearer", token: "abc" }).success).toBe(true);
    for (const header of ["Host", "content-length", "x-request-id", "Cookie", "bad header"]) {
      expect(credentialInput.safeParse({ kind: "header", header, value: "s" }).success, header).toBe(false);
    }
    expect(credentialInput.safeParse({ kind: "bearer", token: "a\r\nX-Evil: 1" }).success).toBe(false);
    expect(credentialInput.safeParse({ kind: "basic", token: "a" }).success).toBe(false);
  });

  it("accepts a split of two distinct versions adding up to 100", () => {
    expect(splitInput.safeParse({ versions: [{ version: "v1", percent: 90 }, { version: "v2", percent: 10 }] }).success).toBe(true);
    for (const versions of [
      [{ version: "v1", percent: 90 }, { version: "v2", percent: 20 }],
      [{ version: "v1", percent: 50 }, { version: "v1", percent: 50 }],
      [{ version: "v1", percent: 100 }],
      [{ version: "v1", percent: 0 }, { version: "v2", percent: 100 }],
      [{ version: "v1", percent: 40 }, { version: "v2", percent: 30 }, { version: "v3", percent: 30 }],
    ]) {
      expect(splitInput.safeParse({ versions }).success, JSON.stringify(versions)).toBe(false);
    }
  });

  it("names the sensitive fields (step-up)", () => {
    expect(touchesSensitiveModelFields({ name: "x", enabled: false, defaultVersion: "v2" })).toBe(false);
    expect(touchesSensitiveModelFields({ protocol: "openai" })).toBe(true);
    expect(touchesSensitiveModelFields({ visibility: "private" })).toBe(true);
    expect(touchesSensitiveVersionFields({ timeoutMs: 1000, maxConcurrency: 2 })).toBe(false);
    expect(touchesSensitiveVersionFields({ url: "http://x" })).toBe(true);
    expect(touchesSensitiveVersionFields({ credential: null })).toBe(true);
  });
});
