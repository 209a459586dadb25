import { describe, expect, it } from "vitest";
import { cutoffFor, defaultDays, isDataClass, minimumDays } from "./data-classes";
import { updateRetentionInput } from "./retention-schemas";

describe("retention policies input", () => {
  it("takes days per class, null for the default, and only known classes", () => {
    expect(updateRetentionInput.parse({ usage_events: 7, audit_logs: null })).toEqual({ usage_events: 7, audit_logs: null });
    expect(updateRetentionInput.safeParse({ logs: 7 }).success).toBe(false);
    expect(updateRetentionInput.safeParse({}).success).toBe(false);
    expect(updateRetentionInput.safeParse({ usage_events: 0 }).success).toBe(false);
    expect(updateRetentionInput.safeParse({ usage_events: 3651 }).success).toBe(false);
    expect(updateRetentionInput.safeParse({ usage_events: 1.5 }).success).toBe(false);
    expect(updateRetentionInput.safeParse({ usage_events: "7" }).success).toBe(false);
  });
});

describe("data classes", () => {
  it("defaults rise to the platform minimum for audit only", () => {
    expect(defaultDays("audit_logs", 365)).toBe(365);
    expect(defaultDays("audit_logs", 730)).toBe(730);
    expect(minimumDays("audit_logs", 730)).toBe(730);
    expect(defaultDays("usage_events", 730)).toBe(30);
    expect(minimumDays("security_events", 730)).toBe(1);
    expect(isDataClass("usage_rollups")).toBe(true);
    expect(isDataClass("users")).toBe(false);
  });

  it("the cutoff is now minus the days", () => {
    expect(cutoffFor(30, new Date("2026-03-31T12:00:00.000Z")).toISOString()).toBe("2026-03-01T12:00:00.000Z");
  });
});
