import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jobIdFor } from "./enqueue";
import { defineTenantJob, JobPayloadError, parseJobPayload, parseJobPayloadWith } from "./jobs";
import { healthFromHeartbeat } from "./worker-health";

const TENANT = "3f2c1a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60";

describe("job payloads", () => {
  it("accepts the heartbeat's empty payload and refuses unknown fields", () => {
    expect(parseJobPayload("worker.heartbeat", {})).toEqual({});
    expect(() => parseJobPayload("worker.heartbeat", { extra: 1 })).toThrow(JobPayloadError);
    expect(() => parseJobPayload("worker.heartbeat", null)).toThrow(JobPayloadError);
  });

  it("a tenant-scoped job cannot be defined or enqueued without a valid tenantId", () => {
    const purge = defineTenantJob("maintenance", z.object({ before: z.iso.datetime() }));
    const before = "2026-01-01T00:00:00Z";
    expect(() => parseJobPayloadWith("usage.purge", purge, { before })).toThrow(/tenantId/);
    expect(() => parseJobPayloadWith("usage.purge", purge, { before, tenantId: "acme" })).toThrow(JobPayloadError);
    expect(parseJobPayloadWith("usage.purge", purge, { before, tenantId: TENANT.toUpperCase() })).toEqual({
      before,
      tenantId: TENANT,
    });
  });

  it("the error names the job and the field, and keeps the zod error as cause", () => {
    try {
      parseJobPayload("worker.heartbeat", { extra: 1 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(JobPayloadError);
      expect((err as Error).message).toMatch(/^invalid payload for job worker\.heartbeat: /);
      expect((err as Error).cause).toBeInstanceOf(z.ZodError);
    }
  });
});

describe("jobIdFor", () => {
  it("is deterministic, per tenant, and free of ':' (BullMQ refuses those)", () => {
    const a = jobIdFor("usage.purge", TENANT, "2026-01-01");
    expect(jobIdFor("usage.purge", TENANT, "2026-01-01")).toBe(a);
    expect(jobIdFor("usage.purge", "0b0b0b0b-0000-4000-8000-000000000000", "2026-01-01")).not.toBe(a);
    expect(jobIdFor("usage.purge", TENANT, "2026-01-02")).not.toBe(a);
    expect(jobIdFor("worker.heartbeat", undefined, "a:b:c")).toMatch(/^worker\.heartbeat\.global\.[0-9a-f]{40}$/);
  });
});

describe("healthFromHeartbeat", () => {
  const now = new Date("2026-01-01T00:01:00.000Z");
  const beat = (at: string) => JSON.stringify({ at, pid: 1, hostname: "h", version: "0.1.0" });

  it("is up with a recent heartbeat and reports its age", () => {
    expect(healthFromHeartbeat(beat("2026-01-01T00:00:30.000Z"), now)).toEqual({
      up: true,
      lastSeen: "2026-01-01T00:00:30.000Z",
      ageSeconds: 30,
    });
  });

  it("is down without a heartbeat, with a stale one, or with garbage", () => {
    expect(healthFromHeartbeat(null, now)).toEqual({ up: false, lastSeen: null, ageSeconds: null });
    expect(healthFromHeartbeat(beat("2025-12-31T23:58:00.000Z"), now).up).toBe(false);
    expect(healthFromHeartbeat("{not json", now).up).toBe(false);
    expect(healthFromHeartbeat(JSON.stringify({ at: "yesterday" }), now).up).toBe(false);
  });
});
