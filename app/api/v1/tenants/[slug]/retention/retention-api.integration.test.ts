import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as retentionRoute from "@/app/api/v1/tenants/[slug]/retention/route";
import * as runsRoute from "@/app/api/v1/tenants/[slug]/retention/runs/route";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp, type TestRequest } from "@/test/management-api";
import { getDb } from "@/lib/db/client";
import { withTenant } from "@/lib/db/tenant-scope";
import { closeQueueClient, getQueueClient } from "@/lib/queue/shared-queues";
import { closeSharedRedis } from "@/lib/redis/shared";
import { retentionOverviewOutput } from "@/lib/retention/retention-schemas";
import { createTenant } from "@/lib/tenants/create-tenant";

vi.mock("server-only", () => ({}));

describe("retention management API (session)", () => {
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let ownerFresh: string;
  let ownerStale: string;
  let viewerCookie: string;

  const get = (slug: string, init: TestRequest = {}) => retentionRoute.GET(apiRequest("/r", init), segment({ slug }));
  const patch = (slug: string, body: unknown, init: TestRequest = {}) =>
    retentionRoute.PATCH(apiRequest("/r", { method: "PATCH", body, ...init }), segment({ slug }));
  const runNow = (slug: string, init: TestRequest = {}) => runsRoute.POST(apiRequest("/r", { method: "POST", ...init }), segment({ slug }));

  beforeAll(async () => {
    const owner = await createTestUser("ret-owner", { mfa: true });
    const viewer = await createTestUser("ret-viewer");
    const outsider = await createTestUser("ret-outsider");
    const actor = { type: "system" as const, id: "test" };
    a = await createTenant({ name: "Ret A", slug: `ret-api-a-${stamp()}` }, { ownerUserId: owner, actor });
    b = await createTenant({ name: "Ret B", slug: `ret-api-b-${stamp()}` }, { ownerUserId: outsider, actor });
    await withTenant(a.id, (tx) => tx.membership.create({ data: { tenantId: a.id, userId: viewer, role: "viewer" } }));
    ownerFresh = await sessionCookieFor(owner, { stepUpAt: new Date() });
    ownerStale = await sessionCookieFor(owner);
    viewerCookie = await sessionCookieFor(viewer);
    await getQueueClient().queue("retention").obliterate({ force: true });
  });

  afterAll(async () => {
    await getQueueClient().queue("retention").obliterate({ force: true });
    await closeQueueClient();
    await closeSharedRedis();
    await getDb().$disconnect();
  });

  it("any member reads the policies, defaults marked, nothing else in the body", async () => {
    const res = await get(a.slug, { cookie: viewerCookie });
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(retentionOverviewOutput.strict().safeParse(data).success).toBe(true);
    expect(data.classes.map((c: { dataClass: string; days: number; isDefault: boolean; lastRun: unknown }) => [c.dataClass, c.days, c.isDefault, c.lastRun])).toEqual([
      ["usage_events", 30, true, null],
      ["usage_rollups", 400, true, null],
      ["security_events", 90, true, null],
      ["audit_logs", 365, true, null],
    ]);
    expect((await get(b.slug, { cookie: viewerCookie })).status).toBe(404);
  });

  it("changing retention needs step-up, refuses the audit minimum with the field, and is audited with before/after", async () => {
    expect((await patch(a.slug, { usage_events: 7 }, { cookie: viewerCookie })).status).toBe(403);
    const stale = await patch(a.slug, { usage_events: 7 }, { cookie: ownerStale });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error.code).toBe("step_up_required");

    const low = await patch(a.slug, { audit_logs: 100 }, { cookie: ownerFresh });
    expect(low.status).toBe(400);
    expect((await low.json()).error.fields).toEqual({ audit_logs: "Audit trail must be kept at least 365 days (platform minimum)" });
    const bad = await patch(a.slug, { usage_events: 0, logs: 3 }, { cookie: ownerFresh });
    expect(bad.status).toBe(400);
    expect((await patch(a.slug, {}, { cookie: ownerFresh })).status).toBe(400);

    const ok = await patch(a.slug, { usage_events: 7, security_events: 30 }, { cookie: ownerFresh });
    expect(ok.status).toBe(200);
    const { data } = await ok.json();
    expect(data.classes.find((c: { dataClass: string }) => c.dataClass === "usage_events")).toMatchObject({ days: 7, isDefault: false });
    const entries = await withTenant(a.id, (tx) => tx.auditLog.findMany({ where: { tenantId: a.id, action: "retention.update" } }));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.metadata).toEqual({
      before: { usage_events: { days: 30, default: true }, security_events: { days: 90, default: true } },
      after: { usage_events: { days: 7, default: false }, security_events: { days: 30, default: false } },
    });
    // Tenant B is untouched.
    const other = await withTenant(b.id, (tx) => tx.retentionPolicy.count({ where: { tenantId: b.id } }));
    expect(other).toBe(0);
  });

  it("run now queues one job for the tenant (twice in a minute: still one); viewers may not", async () => {
    expect((await runNow(a.slug, { cookie: viewerCookie })).status).toBe(403);
    const first = await runNow(a.slug, { cookie: ownerStale });
    expect(first.status).toBe(202);
    const { data } = await first.json();
    const second = await (await runNow(a.slug, { cookie: ownerStale })).json();
    expect(second.data.jobId).toBe(data.jobId);
    const job = await getQueueClient().queue("retention").getJob(data.jobId);
    expect(job).toMatchObject({ name: "retention.tenant", data: { tenantId: a.id, trigger: "manual" } });
  });
});
