import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as summaryRoute from "@/app/api/v1/tenants/[slug]/security-events/summary/route";
import { withTenant } from "@/lib/db/tenant-scope";
import { closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "@/test/management-api";

vi.mock("server-only", () => ({}));

/** GET /api/v1/tenants/{slug}/security-events/summary: the security log's chart. */
describe("security log summary", () => {
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let ownerCookie: string;
  let developerCookie: string;
  const keyA = "0a0a0a0a-0000-4000-8000-00000000000a";
  const keyB = "0b0b0b0b-0000-4000-8000-00000000000b";
  const h = (iso: string) => new Date(`2026-11-20T${iso}Z`);

  const summary = async (slug: string, query: string, cookie = ownerCookie) => {
    const res = await summaryRoute.GET(apiRequest(`/s?${query}`, { cookie }), segment({ slug }));
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    const owner = await createTestUser("sec-sum-owner");
    const developer = await createTestUser("sec-sum-dev");
    const actor = { type: "system" as const, id: "test" };
    a = await createTenant({ name: "Sum A", slug: `sec-sum-a-${stamp()}` }, { ownerUserId: owner, actor });
    b = await createTenant({ name: "Sum B", slug: `sec-sum-b-${stamp()}` }, { ownerUserId: owner, actor });
    await withTenant(a.id, (tx) => tx.membership.create({ data: { tenantId: a.id, userId: developer, role: "developer" } }));
    ownerCookie = await sessionCookieFor(owner);
    developerCookie = await sessionCookieFor(developer);
    const event = (tenantId: string, i: number, code: string, at: Date, extra: { keyId?: string; clientIp?: string } = {}) => ({
      tenantId,
      requestId: `${tenantId}-${i}`,
      code,
      status: code === "rate_limited" ? 429 : 401,
      method: "POST",
      path: "/v1/chat/completions",
      clientIp: "198.51.100.1",
      createdAt: at,
      ...extra,
    });
    // A: a burst of 6 rate limits at 09:xx from one key, 3 bad keys at 11:xx from another address, 1 the day before.
    const rows = [
      ...Array.from({ length: 6 }, (_, i) => event(a.id, i, "rate_limited", h(`09:${String(10 + i).padStart(2, "0")}:00`), { keyId: keyA })),
      ...Array.from({ length: 3 }, (_, i) => event(a.id, 10 + i, "invalid_api_key", h(`11:0${i}:30`), { clientIp: "203.0.113.9" })),
      event(a.id, 20, "ip_not_allowed", new Date("2026-11-19T23:30:00Z"), { keyId: keyA, clientIp: "192.0.2.1" }),
    ];
    await withTenant(a.id, (tx) => tx.securityEvent.createMany({ data: rows }));
    // B: denials in the same hours, with another key; never counted for A.
    await withTenant(b.id, (tx) =>
      tx.securityEvent.createMany({ data: Array.from({ length: 4 }, (_, i) => event(b.id, i, "rate_limited", h("09:30:00"), { keyId: keyB })) }),
    );
  });

  afterAll(async () => {
    await closeSharedRedis();
  });

  it("counts a day by hour and reason, empty hours included, and names the addresses and keys refused most", async () => {
    const { status, body } = await summary(a.slug, "from=2026-11-20T00:00:00Z&to=2026-11-20T23:59:59Z");
    expect(status).toBe(200);
    const s = body.data;
    expect(s).toMatchObject({ granularity: "hour", total: 9 });
    expect(s.buckets).toHaveLength(24);
    expect(s.buckets[9]).toEqual({ start: "2026-11-20T09:00:00.000Z", total: 6, counts: { rate_limited: 6 } });
    expect(s.buckets[11]).toEqual({ start: "2026-11-20T11:00:00.000Z", total: 3, counts: { invalid_api_key: 3 } });
    expect(s.buckets.filter((x: { total: number }) => x.total === 0)).toHaveLength(22);
    expect(s.byCode).toEqual([{ code: "rate_limited", count: 6 }, { code: "invalid_api_key", count: 3 }]);
    expect(s.topIps).toEqual([{ ip: "198.51.100.1", count: 6 }, { ip: "203.0.113.9", count: 3 }]);
    expect(s.topKeys).toEqual([{ keyId: keyA, count: 6 }]); // B's key never shows
  });

  it("a longer range is counted by day; the filters narrow it like the list's", async () => {
    const week = (await summary(a.slug, "from=2026-11-14T00:00:00Z&to=2026-11-20T23:59:59Z")).body.data;
    expect(week.granularity).toBe("day");
    expect(week.buckets).toHaveLength(7);
    expect(week.buckets.slice(-2).map((x: { total: number }) => x.total)).toEqual([1, 9]);
    const byKey = (await summary(a.slug, `from=2026-11-14T00:00:00Z&to=2026-11-20T23:59:59Z&keyId=${keyA}`)).body.data;
    expect(byKey.total).toBe(7);
    expect(byKey.byCode).toEqual([{ code: "rate_limited", count: 6 }, { code: "ip_not_allowed", count: 1 }]);
    const byIp = (await summary(a.slug, "from=2026-11-14T00:00:00Z&to=2026-11-20T23:59:59Z&ip=203.0.113.9&code=invalid_api_key")).body.data;
    expect(byIp).toMatchObject({ total: 3, topIps: [{ ip: "203.0.113.9", count: 3 }], topKeys: [] });
  });

  it("bad input and access: 400 with the field, 403 below audit readers, 404 for another tenant's outsider", async () => {
    const reversed = await summary(a.slug, "from=2026-11-20T00:00:00Z&to=2026-11-19T00:00:00Z");
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.fields).toHaveProperty("from");
    const tooLong = await summary(a.slug, "from=2024-01-01T00:00:00Z&to=2026-11-20T00:00:00Z");
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.fields.from).toMatch(/400 days/);
    expect((await summary(a.slug, "colour=red")).status).toBe(400);
    expect((await summary(a.slug, "", developerCookie)).status).toBe(403);
    expect((await summary(b.slug, "", developerCookie)).status).toBe(404);
  });

  it("without a range: the last 24 hours, 25 hourly buckets (the current hour included)", async () => {
    const s = (await summary(a.slug, "")).body.data;
    expect(s.granularity).toBe("hour");
    expect(Date.parse(s.to) - Date.parse(s.from)).toBe(86_400_000);
    expect(s.buckets.length).toBe(25);
  });
});
