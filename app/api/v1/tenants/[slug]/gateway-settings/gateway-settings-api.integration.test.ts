import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as route from "@/app/api/v1/tenants/[slug]/gateway-settings/route";
import { addModel, call, chatBody, closeAgents, closeFixture, newKey, openFixture, startGateway, type Fixture, type RunningGateway } from "@/gateway/test-support";
import { withTenant } from "@/lib/db/tenant-scope";
import { closeSharedRedis } from "@/lib/redis/shared";
import { gatewaySettingsOutput } from "@/lib/tenants/gateway-settings-schemas";
import { createTenant } from "@/lib/tenants/create-tenant";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp, type TestRequest } from "@/test/management-api";

vi.mock("server-only", () => ({}));

/** Polls the gateway until `status` comes back (the change travels by pub/sub), at most `ms`. */
async function gatewayAnswers(attempt: () => Promise<{ status: number }>, status: number, ms = 1_000): Promise<number> {
  const deadline = Date.now() + ms;
  let last = (await attempt()).status;
  while (last !== status && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    last = (await attempt()).status;
  }
  return last;
}

describe("tenant gateway settings API (session), applied by a running gateway", () => {
  let f: Fixture;
  let gw: RunningGateway;
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let key: { secret: string };
  let ownerFresh: string;
  let ownerStale: string;
  let developerCookie: string;
  let viewerCookie: string;

  const get = (slug: string, init: TestRequest = {}) => route.GET(apiRequest("/g", init), segment({ slug }));
  const patch = (slug: string, body: unknown, init: TestRequest = {}) =>
    route.PATCH(apiRequest("/g", { method: "PATCH", body, ...init }), segment({ slug }));
  const chat = (body: unknown = chatBody("echo")) => call(gw.url, "/v1/chat/completions", { key: key.secret, body });

  beforeAll(async () => {
    f = await openFixture();
    gw = await startGateway(f.db);
    const owner = await createTestUser("gws-owner", { mfa: true });
    const developer = await createTestUser("gws-dev");
    const viewer = await createTestUser("gws-viewer");
    const outsider = await createTestUser("gws-outsider");
    const actor = { type: "system" as const, id: "test" };
    a = await createTenant({ name: "GW A", slug: `gws-a-${stamp()}` }, { ownerUserId: owner, actor });
    b = await createTenant({ name: "GW B", slug: `gws-b-${stamp()}` }, { ownerUserId: outsider, actor });
    await withTenant(a.id, (tx) =>
      tx.membership.createMany({ data: [{ tenantId: a.id, userId: developer, role: "developer" }, { tenantId: a.id, userId: viewer, role: "viewer" }] }),
    );
    ownerFresh = await sessionCookieFor(owner, { stepUpAt: new Date() });
    ownerStale = await sessionCookieFor(owner);
    developerCookie = await sessionCookieFor(developer, { stepUpAt: new Date() });
    viewerCookie = await sessionCookieFor(viewer);
    await addModel(f.db, a.id, { name: "echo", backendUrl: `${f.echo.url}/v1` });
    key = await newKey(f.db, a.id, { scopes: ["inference"] });
  });

  afterAll(async () => {
    await gw.close();
    await closeAgents();
    await closeSharedRedis();
    await closeFixture(f);
  });

  it("any member reads the defaults: any address, the platform's body ceiling, no tenant rate limit, fail closed", async () => {
    const res = await get(a.slug, { cookie: viewerCookie });
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(gatewaySettingsOutput.strict().safeParse(data).success).toBe(true);
    expect(data).toMatchObject({ ipAllowlist: [], redisFailureMode: "closed", maxBodyBytes: 1_048_576, rateLimit: null });
    expect(data.maxBodyBytesLimit).toBeGreaterThanOrEqual(data.maxBodyBytes);
    expect((await get(b.slug, { cookie: viewerCookie })).status).toBe(404); // another tenant's settings do not exist for them
  });

  it("only owners and admins change them, after a fresh step-up", async () => {
    const body = { redisFailureMode: "open" };
    expect((await patch(a.slug, body, { cookie: viewerCookie })).status).toBe(403);
    expect((await patch(a.slug, body, { cookie: developerCookie })).status).toBe(403);
    const stale = await patch(a.slug, body, { cookie: ownerStale });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error.code).toBe("step_up_required");
    expect((await patch(b.slug, body, { cookie: ownerFresh })).status).toBe(404);
    const { data } = await (await get(a.slug, { cookie: viewerCookie })).json();
    expect(data.redisFailureMode).toBe("closed"); // nothing changed
  });

  it("bad input: a field error for each wrong field, and nothing changes", async () => {
    const cases: [unknown, string][] = [
      [{ ipAllowlist: ["10.0.0.0/8", "not-an-ip"] }, "ipAllowlist"],
      [{ maxBodyBytes: 100 }, "maxBodyBytes"],
      [{ maxBodyBytes: 1e9 }, "maxBodyBytes"],
      [{ rateLimit: { requests: 0, windowSeconds: 60 } }, "rateLimit.requests"],
      [{ rateLimit: { requests: 10, windowSeconds: 100_000 } }, "rateLimit.windowSeconds"],
      [{ redisFailureMode: "sometimes" }, "redisFailureMode"],
    ];
    for (const [body, field] of cases) {
      const res = await patch(a.slug, body, { cookie: ownerFresh });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.fields), JSON.stringify(body)).toContain(field);
    }
    const named = await (await patch(a.slug, { ipAllowlist: ["10.0.0.0/8", "not-an-ip"] }, { cookie: ownerFresh })).json();
    expect(named.error.fields.ipAllowlist).toBe('"not-an-ip" is not an IPv4 or IPv6 address or CIDR'); // the user learns which entry
    const unknown = await patch(a.slug, { ipAllowList: ["10.0.0.0/8"] }, { cookie: ownerFresh }); // a typo is not silently ignored
    expect(unknown.status).toBe(400);
    expect((await patch(a.slug, {}, { cookie: ownerFresh })).status).toBe(400);
    const { data } = await (await get(a.slug, { cookie: viewerCookie })).json();
    expect(data).toMatchObject({ ipAllowlist: [], redisFailureMode: "closed", maxBodyBytes: 1_048_576, rateLimit: null });
    const audited = await withTenant(a.id, (tx) => tx.auditLog.count({ where: { tenantId: a.id, action: "tenant.gateway_update" } }));
    expect(audited).toBe(0);
  });

  it("an IP allow-list that leaves the client out closes the gateway to every key within a second; clearing it reopens it", async () => {
    expect((await chat()).status).toBe(200);
    const res = await patch(a.slug, { ipAllowlist: ["203.0.113.7", "2001:db8::/32", "::ffff:198.51.100.0/120"] }, { cookie: ownerFresh });
    expect(res.status).toBe(200);
    expect((await res.json()).data.ipAllowlist).toEqual(["203.0.113.7/32", "2001:db8::/32", "198.51.100.0/24"]); // normalised
    expect(await gatewayAnswers(chat, 403)).toBe(403);
    const denied = await chat();
    expect(denied.body.error?.code).toBe("ip_not_allowed");

    expect((await patch(a.slug, { ipAllowlist: ["127.0.0.0/8"] }, { cookie: ownerFresh })).status).toBe(200);
    expect(await gatewayAnswers(chat, 200)).toBe(200);
    expect((await patch(a.slug, { ipAllowlist: [] }, { cookie: ownerFresh })).status).toBe(200);
    expect(await gatewayAnswers(chat, 200)).toBe(200);
  });

  it("the body limit and the tenant-wide rate limit apply to the next requests", async () => {
    const big = chatBody("echo", "x".repeat(4_000));
    expect((await chat(big)).status).toBe(200);
    expect((await patch(a.slug, { maxBodyBytes: 2048 }, { cookie: ownerFresh })).status).toBe(200);
    expect(await gatewayAnswers(() => chat(big), 413)).toBe(413);
    expect((await chat()).status).toBe(200); // small requests still pass

    expect((await patch(a.slug, { maxBodyBytes: 1_048_576, rateLimit: { requests: 3, windowSeconds: 3600 } }, { cookie: ownerFresh })).status).toBe(200);
    expect(await gatewayAnswers(() => chat(big), 200)).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await chat()).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
    const limited = await chat();
    expect(limited.body.error?.code).toBe("rate_limited");
    expect(limited.headers["retry-after"]).toBeDefined();

    expect((await patch(a.slug, { rateLimit: null }, { cookie: ownerFresh })).status).toBe(200);
    expect(await gatewayAnswers(chat, 200)).toBe(200);
  });

  it("each change is audited once with before/after of what changed; saving the same values writes nothing", async () => {
    const before = await withTenant(a.id, (tx) => tx.auditLog.count({ where: { tenantId: a.id, action: "tenant.gateway_update" } }));
    const res = await patch(a.slug, { redisFailureMode: "open", maxBodyBytes: 1_048_576 }, { cookie: ownerFresh, headers: { "x-request-id": "req-gws" } });
    expect(res.status).toBe(200);
    expect((await res.json()).data.redisFailureMode).toBe("open");
    expect((await patch(a.slug, { redisFailureMode: "open" }, { cookie: ownerFresh })).status).toBe(200);
    const entries = await withTenant(a.id, (tx) =>
      tx.auditLog.findMany({ where: { tenantId: a.id, action: "tenant.gateway_update" }, orderBy: { seq: "asc" } }),
    );
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)!.metadata).toEqual({ before: { redisFailureMode: "closed" }, after: { redisFailureMode: "open" } });
    expect(entries.at(-1)).toMatchObject({ actorType: "user", targetType: "tenant", targetId: a.id });
  });
});
