import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as quotaRoute from "@/app/api/v1/operator/tenants/[slug]/quota/route";
import * as tenantRoute from "@/app/api/v1/operator/tenants/[slug]/route";
import * as statusRoute from "@/app/api/v1/operator/tenants/[slug]/status/route";
import * as tenantsRoute from "@/app/api/v1/operator/tenants/route";
import * as tenantQuotaRoute from "@/app/api/v1/tenants/[slug]/quota/route";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "@/test/management-api";
import { getDb } from "@/lib/db/client";
import { withTenant } from "@/lib/db/tenant-scope";
import { periodAt } from "@/lib/quotas/period";
import { quotaCounterKey } from "@/lib/quotas/quota-counter";
import { getRedis, closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";

vi.mock("server-only", () => ({}));

type Json = { data?: unknown; error?: { code: string; fields?: Record<string, string> } };
const json = async (res: Response) => (await res.json()) as Json;

describe("operator API: tenants, quotas, suspension", () => {
  const db = getDb();
  let operator: string;
  let owner: string;
  let tenant: { id: string; slug: string };

  beforeAll(async () => {
    const opUser = await createTestUser("operator", { mfa: true });
    await db.user.update({ where: { id: opUser }, data: { isOperator: true } });
    operator = await sessionCookieFor(opUser, { stepUpAt: new Date() });
    const ownerUser = await createTestUser("owner", { mfa: true });
    owner = await sessionCookieFor(ownerUser, { stepUpAt: new Date() });
    tenant = await createTenant({ name: "Op Target", slug: `op-${stamp()}` }, { ownerUserId: ownerUser, actor: { type: "system", id: "test" } });
  });
  afterAll(async () => {
    await closeSharedRedis();
    await db.$disconnect();
  });

  it("an operator sets a quota: the tenant's audit trail names the operator, the platform log has the read and the change", async () => {
    const res = await quotaRoute.PUT(
      apiRequest("/q", { method: "PUT", cookie: operator, body: { period: "day", requests: { limit: 100, hard: true }, timeZone: "Asia/Tokyo" } }),
      segment({ slug: tenant.slug }),
    );
    expect(res.status).toBe(200);
    expect((await json(res)).data).toEqual({ period: "day", timeZone: "Asia/Tokyo", requests: { limit: 100, hard: true }, tokens: null });
    const audit = await withTenant(tenant.id, (tx) => tx.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: "quota.update" } }));
    expect(audit).toMatchObject({ actorType: "operator", metadata: { before: null, after: { period: "day", timeZone: "Asia/Tokyo" } } });
    expect(await db.platformAuditLog.count({ where: { action: "quota.update", targetId: tenant.id } })).toBe(1);

    const bad = await quotaRoute.PUT(apiRequest("/q", { method: "PUT", cookie: operator, body: { period: "week" } }), segment({ slug: tenant.slug }));
    expect(bad.status).toBe(400);
    expect((await json(bad)).error?.fields).toHaveProperty("period");
  });

  it("lists every tenant with its quota and this period's use (read from Redis), recorded as an operator read", async () => {
    const period = periodAt("day", "Asia/Tokyo", new Date());
    await getRedis().hset(quotaCounterKey(tenant.id, "day", period.key), { u: 42, t: 900 });
    const before = await db.platformAuditLog.count({ where: { action: "operator.read" } });
    const res = await tenantsRoute.GET(apiRequest("/t", { cookie: operator }), segment({}));
    expect(res.status).toBe(200);
    const rows = (await json(res)).data as { slug: string; quota: unknown; current: { requests: number; tokens: number; periodKey: string } | null; status: string }[];
    const row = rows.find((r) => r.slug === tenant.slug)!;
    expect(row).toMatchObject({ status: "active", quota: { period: "day", requests: { limit: 100, hard: true } }, current: { requests: 42, tokens: 900, periodKey: period.key } });
    expect(await db.platformAuditLog.count({ where: { action: "operator.read" } })).toBeGreaterThan(before);

    const one = await tenantRoute.GET(apiRequest("/t1", { cookie: operator }), segment({ slug: tenant.slug }));
    expect((await json(one)).data).toMatchObject({ tenant: { slug: tenant.slug }, history: [] });
    const missing = await tenantRoute.GET(apiRequest("/t1", { cookie: operator }), segment({ slug: "no-such-tenant" }));
    expect(missing.status).toBe(404);

    // The tenant reads the same figures on its own route.
    const own = await tenantQuotaRoute.GET(apiRequest("/q", { cookie: owner }), segment({ slug: tenant.slug }));
    expect((await json(own)).data).toMatchObject({ timeZone: "Asia/Tokyo", current: { requests: 42, tokens: 900 } });
  });

  it("suspends and resumes; a tenant owner who is not an operator gets 404 everywhere", async () => {
    const suspend = await statusRoute.POST(
      apiRequest("/s", { method: "POST", cookie: operator, body: { status: "suspended", reason: "test" } }),
      segment({ slug: tenant.slug }),
    );
    expect((await json(suspend)).data).toMatchObject({ status: "suspended" });
    expect((await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("suspended");
    expect(await db.platformAuditLog.count({ where: { action: "tenant.suspend", targetId: tenant.id } })).toBe(1);
    const resume = await statusRoute.POST(apiRequest("/s", { method: "POST", cookie: operator, body: { status: "active" } }), segment({ slug: tenant.slug }));
    expect((await json(resume)).data).toMatchObject({ status: "active" });

    for (const res of [
      await tenantsRoute.GET(apiRequest("/t", { cookie: owner }), segment({})),
      await statusRoute.POST(apiRequest("/s", { method: "POST", cookie: owner, body: { status: "suspended" } }), segment({ slug: tenant.slug })),
      await quotaRoute.DELETE(apiRequest("/q", { method: "DELETE", cookie: owner }), segment({ slug: tenant.slug })),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("active");

    const cleared = await quotaRoute.DELETE(apiRequest("/q", { method: "DELETE", cookie: operator }), segment({ slug: tenant.slug }));
    expect(cleared.status).toBe(204);
    expect(await withTenant(tenant.id, (tx) => tx.tenantQuota.count({ where: { tenantId: tenant.id } }))).toBe(0);
  });
});
