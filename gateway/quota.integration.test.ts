import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../lib/quotas/clock";
import { closeQuotaPeriod } from "../lib/quotas/close-period";
import type { QuotaReachedEvent } from "../lib/quotas/quota-enforcer";
import { quotaCounterKey, readQuotaCounter } from "../lib/quotas/quota-counter";
import { setTenantQuota } from "../lib/quotas/set-quota";
import { closeSharedRedis } from "../lib/redis/shared";
import { setTenantStatus } from "../lib/tenants/set-tenant-status";
import { withTenant } from "../lib/db/tenant-scope";
import { addModel, call, chatBody, closeFixture, newKey, newTenant, openFixture, startGateway, type Fixture, type RunningGateway } from "./test-support";

const SYSTEM = { actor: { type: "system" as const, id: "quota-test" } };
const NOON = "2026-11-26T12:00:00.000Z";

describe("quotas in the gateway", () => {
  let f: Fixture;
  const clock = manualClock(NOON);
  const reached: QuotaReachedEvent[] = [];
  let a: RunningGateway;
  let b: RunningGateway;

  beforeAll(async () => {
    f = await openFixture();
    const quotaOptions = { clock, syncIntervalMs: 100, onReached: (e: QuotaReachedEvent) => void reached.push(e) };
    a = await startGateway(f.db, { quotaOptions });
    b = await startGateway(f.db, { quotaOptions });
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await closeFixture(f);
    await closeSharedRedis();
  });

  async function tenantWithQuota(label: string, quota: Parameters<typeof setTenantQuota>[1]) {
    const tenantId = await newTenant(f.su, label);
    await addModel(f.db, tenantId, { name: "echo", backendUrl: `${f.echo.url}/v1`, maxConcurrency: 1000 });
    await setTenantQuota(tenantId, quota, SYSTEM, f.db);
    const key = await newKey(f.db, tenantId);
    return { tenantId, key: key.secret };
  }

  it("hard request quota across two gateway instances: 200 concurrent requests against a quota of 100 admit at most 100 (and at least 95)", async () => {
    const { tenantId, key } = await tenantWithQuota("quota-hard", { period: "day", requests: { limit: 100, hard: true } });
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => call(i % 2 ? a.url : b.url, "/v1/chat/completions", { key, body: chatBody("echo") })),
    );
    const admitted = replies.filter((r) => r.status === 200).length;
    const denied = replies.filter((r) => r.status === 429);
    expect(admitted).toBeLessThanOrEqual(100);
    expect(admitted).toBeGreaterThanOrEqual(95);
    expect(admitted + denied.length).toBe(200);
    expect(denied[0]!.body.error?.code).toBe("quota_exceeded");
    // Retry-After: until the end of the tenant's day (UTC here), 12 hours after the clock's noon.
    expect(Number(denied[0]!.headers["retry-after"])).toBe(12 * 3600);
    await a.gw.flush();
    await b.gw.flush();
    const counter = await readQuotaCounter(a.redis, quotaCounterKey(tenantId, "day", "2026-11-26"));
    expect(counter.requests).toBe(admitted);
  });

  it("soft request quota: admits past the limit, marks responses with X-Quota-Warning, notifies once per period", async () => {
    const { tenantId, key } = await tenantWithQuota("quota-soft", { period: "month", requests: { limit: 3, hard: false } });
    const statuses: number[] = [];
    const warnings: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await call(a.url, "/v1/chat/completions", { key, body: chatBody("echo") });
      statuses.push(r.status);
      warnings.push(r.headers["x-quota-warning"] as string | undefined);
      await a.gw.flush();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(warnings.slice(0, 2)).toEqual([undefined, undefined]);
    expect(warnings.at(-1)).toBe('requests; period="2026-11"');
    const mine = reached.filter((e) => e.tenantId === tenantId);
    expect(mine).toEqual([{ tenantId, period: "month", periodKey: "2026-11", metric: "requests", limit: 3, used: expect.any(Number), hard: false }]);
  });

  it("hard token quota: once the reported tokens reach it, further requests are denied", async () => {
    const { tenantId, key } = await tenantWithQuota("quota-tokens", { period: "day", tokens: { limit: 10, hard: true } });
    const first = await call(a.url, "/v1/chat/completions", { key, body: chatBody("echo", "one two three four five six seven eight") });
    expect(first.status).toBe(200);
    await a.gw.flush();
    const used = await readQuotaCounter(a.redis, quotaCounterKey(tenantId, "day", "2026-11-26"));
    expect(used.tokens).toBeGreaterThanOrEqual(10);
    await new Promise((r) => setTimeout(r, 300)); // the other instance's sync tick refreshes its view
    for (const gw of [a, b]) {
      const denied = await call(gw.url, "/v1/chat/completions", { key, body: chatBody("echo") });
      expect({ status: denied.status, code: denied.body.error?.code }).toEqual({ status: 429, code: "quota_exceeded" });
    }
    expect(reached.some((e) => e.tenantId === tenantId && e.metric === "tokens" && e.hard)).toBe(true);
  });

  it("period rollover with the clock moved: the new period starts at zero; the old one is recorded once (close job run twice)", async () => {
    const { tenantId, key } = await tenantWithQuota("quota-rollover", { period: "day", requests: { limit: 2, hard: true }, timeZone: "Europe/Berlin" });
    const day1 = await Promise.all([0, 1, 2].map(() => call(a.url, "/v1/chat/completions", { key, body: chatBody("echo") })));
    expect(day1.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    await a.gw.flush();

    // 2026-11-26 ends at 23:00 UTC in Berlin; move past it.
    clock.set("2026-11-26T23:00:30.000Z");
    const day2 = await call(a.url, "/v1/chat/completions", { key, body: chatBody("echo") });
    expect(day2.status).toBe(200);
    await a.gw.flush();
    expect((await readQuotaCounter(a.redis, quotaCounterKey(tenantId, "day", "2026-11-27"))).requests).toBe(1);

    const deps = { redis: a.redis, clock, db: f.db };
    const first = await closeQuotaPeriod(tenantId, "day", "2026-11-26", deps);
    const second = await closeQuotaPeriod(tenantId, "day", "2026-11-26", deps);
    expect(first.closed).toBe(true);
    expect(first.record).toMatchObject({ periodKey: "2026-11-26", requests: 2, requestsLimit: 2, requestsHard: true, startsAt: "2026-11-25T23:00:00.000Z", endsAt: "2026-11-26T23:00:00.000Z" });
    expect(second).toEqual({ closed: false, record: null });
    const rows = await withTenant(tenantId, (tx) => tx.quotaPeriod.findMany({ where: { tenantId } }), f.db);
    expect(rows).toHaveLength(1);
    // The running period cannot be closed early.
    expect((await closeQuotaPeriod(tenantId, "day", "2026-11-27", deps)).closed).toBe(false);
    clock.set(NOON);
  });

  it("a suspended tenant is denied by every gateway within a second", async () => {
    const { tenantId, key } = await tenantWithQuota("quota-suspend", { period: "month", requests: { limit: 1000, hard: false } });
    for (const gw of [a, b]) expect((await call(gw.url, "/v1/chat/completions", { key, body: chatBody("echo") })).status).toBe(200);
    const slug = (await f.su.query<{ slug: string }>("SELECT slug FROM tenants WHERE id = $1", [tenantId])).rows[0]!.slug;
    const started = Date.now();
    await setTenantStatus(slug, "suspended", SYSTEM, f.db);
    for (const gw of [a, b]) {
      let denied: Awaited<ReturnType<typeof call>> | undefined;
      while (Date.now() - started < 1_000) {
        const r = await call(gw.url, "/v1/chat/completions", { key, body: chatBody("echo") });
        if (r.status === 403) {
          denied = r;
          break;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
      expect(denied?.body.error?.code).toBe("tenant_suspended");
    }
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
