import { describe, expect, it } from "vitest";
import type { GatewaySettings } from "@/lib/tenants/gateway-settings-schemas";
import { formatBytes, formOf, isDirty, patchOf, sizeOf } from "./gateway-form";

const saved: GatewaySettings = {
  ipAllowlist: ["10.0.0.0/8"],
  redisFailureMode: "closed",
  maxBodyBytes: 1_048_576,
  maxBodyBytesLimit: 67_108_864,
  rateLimit: null,
};

describe("gateway settings form", () => {
  it("starts from the saved values and sends nothing when nothing changed", () => {
    const form = formOf(saved);
    expect(form).toMatchObject({ ips: "10.0.0.0/8", bodySize: "1", bodyUnit: "MiB", rateLimited: false, redisFailureMode: "closed" });
    expect(patchOf(form, saved)).toEqual({ patch: {}, errors: {} });
    expect(isDirty(form, saved)).toBe(false);
  });

  it("sends only the fields that changed", () => {
    const form = { ...formOf(saved), ips: "10.0.0.0/8\n 2001:db8::/32, 198.51.100.7\n", rateLimited: true, rateRequests: "1,000", rateWindow: "60" };
    expect(patchOf(form, saved)).toEqual({
      patch: { ipAllowlist: ["10.0.0.0/8", "2001:db8::/32", "198.51.100.7"], rateLimit: { requests: 1000, windowSeconds: 60 } },
      errors: {},
    });
  });

  it("clears the allow-list and the rate limit", () => {
    const limited = { ...saved, rateLimit: { requests: 5, windowSeconds: 1 } };
    const form = { ...formOf(limited), ips: "  ", rateLimited: false };
    expect(patchOf(form, limited).patch).toEqual({ ipAllowlist: [], rateLimit: null });
  });

  it("converts the body limit to bytes and refuses what the platform cannot take", () => {
    expect(patchOf({ ...formOf(saved), bodySize: "512", bodyUnit: "KiB" }, saved).patch).toEqual({ maxBodyBytes: 524_288 });
    expect(patchOf({ ...formOf(saved), bodySize: "1024", bodyUnit: "KiB" }, saved).patch).toEqual({});
    expect(patchOf({ ...formOf(saved), bodySize: "128" }, saved).errors).toEqual({ maxBodyBytes: "At most 64 MiB on this platform" });
    expect(patchOf({ ...formOf(saved), bodySize: "0.5", bodyUnit: "KiB" }, saved).errors).toEqual({ maxBodyBytes: "At least 1 KiB" });
    expect(patchOf({ ...formOf(saved), bodySize: "lots" }, saved).errors.maxBodyBytes).toBeDefined();
    expect(isDirty({ ...formOf(saved), bodySize: "" }, saved)).toBe(true);
  });

  it("shows odd byte counts exactly", () => {
    expect(sizeOf(1500)).toEqual({ size: "1.46484375", unit: "KiB" });
    expect(Math.round(Number(sizeOf(1500).size) * 1024)).toBe(1500);
    expect(formatBytes(67_108_864)).toBe("64 MiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
  });

  it("asks for a whole number of requests", () => {
    const form = { ...formOf(saved), rateLimited: true, rateRequests: "" };
    expect(patchOf(form, saved).errors).toEqual({ "rateLimit.requests": "A whole number of requests" });
  });
});
