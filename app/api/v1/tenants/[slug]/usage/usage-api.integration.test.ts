import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as usageRoute from "@/app/api/v1/tenants/[slug]/usage/route";
import * as exportRoute from "@/app/api/v1/tenants/[slug]/usage/export/route";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "@/test/management-api";
import { getDb } from "@/lib/db/client";
import { withTenant } from "@/lib/db/tenant-scope";
import { createApiKey } from "@/lib/keys/create-key";
import { closeSharedRedis } from "@/lib/redis/shared";
import { periodAt } from "@/lib/quotas/period";
import { createTenant } from "@/lib/tenants/create-tenant";
import { storeUsageBatch } from "@/lib/usage/ingest-usage";
import type { UsageRecord } from "@/lib/usage/usage-record";

vi.mock("server-only", () => ({}));

describe("usage management API", () => {
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let viewerCookie: string;
  let outsiderCookie: string;
  let keyOne: { id: string; secret: string };
  let keyTwo: { id: string };
  let readerSecret: string;
  let noScopeSecret: string;
  // Two hours ago, at the start of a minute: inside the default 24 h range.
  const base = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;

  const get = (slug: string, query: string, init: { cookie?: string; bearer?: string } = {}) =>
    usageRoute.GET(apiRequest(`/u?${query}`, init), segment({ slug }));
  const exportCsv = (slug: string, query: string, init: { cookie?: string; bearer?: string } = {}) =>
    exportRoute.GET(apiRequest(`/u/export?${query}`, init), segment({ slug }));

  const record = (tenantId: string, keyId: string, i: number, extra: Partial<UsageRecord> = {}): UsageRecord => ({
    tenantId,
    keyId,
    requestId: `req-${i}`,
    route: "openai.chat",
    model: "echo",
    status: 200,
    latencyMs: 20,
    promptTokens: 10,
    completionTokens: 4,
    totalTokens: 14,
    at: base + i * 1_000,
    ...extra,
  });

  beforeAll(async () => {
    const owner = await createTestUser("usage-owner");
    const viewer = await createTestUser("usage-viewer");
    const outsider = await createTestUser("usage-outsider");
    const actor = { type: "system" as const, id: "test" };
    a = await createTenant({ name: "Usage A", slug: `usage-a-${stamp()}` }, { ownerUserId: owner, actor });
    b = await createTenant({ name: "Usage B", slug: `usage-b-${stamp()}` }, { ownerUserId: outsider, actor });
    await withTenant(a.id, (tx) => tx.membership.create({ data: { tenantId: a.id, userId: viewer, role: "viewer" } }));
    viewerCookie = await sessionCookieFor(viewer);
    outsiderCookie = await sessionCookieFor(outsider);
    const make = async (tenantId: string, name: string, scopes: string[]) => {
      const { key, secret } = await createApiKey(tenantId, { name, scopes: scopes as never }, { actor });
      return { id: key.id, secret };
    };
    keyOne = await make(a.id, "checkout service", ["inference"]);
    keyTwo = await make(a.id, "batch jobs", ["inference"]);
    readerSecret = (await make(a.id, "billing export", ["usage:read"])).secret;
    noScopeSecret = (await make(a.id, "keys bot", ["keys:read"])).secret;
    const records: UsageRecord[] = [
      // key one: 6 requests with echo (one a 500), latencies 10..60 ms
      ...[10, 20, 30, 40, 50, 60].map((ms, i) => record(a.id, keyOne.id, i, { latencyMs: ms, status: i === 5 ? 500 : 200 })),
      // key two: 3 requests with "embed", 2 minutes later
      ...[0, 1, 2].map((i) => record(a.id, keyTwo.id, 100 + i, { model: "embed", totalTokens: 3, promptTokens: 3, completionTokens: 0, at: base + 120_000 + i })),
    ];
    await withTenant(a.id, (tx) => storeUsageBatch(tx, a.id, records));
    await withTenant(b.id, (tx) => storeUsageBatch(tx, b.id, [record(b.id, randomUUID(), 1, { requestId: "b-1" })]));
  });

  afterAll(async () => {
    await closeSharedRedis();
    await getDb().$disconnect();
  });

  it("gives a viewer totals, a series and rows by key with the keys' names", async () => {
    const res = await get(a.slug, "range=24h", { cookie: viewerCookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const { data } = await res.json();
    expect(data.granularity).toBe("hour");
    expect(data.series).toHaveLength(25); // 24 h widened to whole hours
    expect(data.totals).toMatchObject({ requests: 9, errors: 1, promptTokens: 69, completionTokens: 24, totalTokens: 93 });
    expect(data.series.reduce((n: number, p: { requests: number }) => n + p.requests, 0)).toBe(9);
    expect(data.rows).toEqual([
      expect.objectContaining({ keyId: keyOne.id, keyName: "checkout service", model: null, requests: 6, errors: 1, totalTokens: 84, avgLatencyMs: 35 }),
      expect.objectContaining({ keyId: keyTwo.id, keyName: "batch jobs", requests: 3, errors: 0, totalTokens: 9 }),
    ]);
    // 10..60 ms: p50 in the (25, 50] bucket, p95 in (50, 100].
    const [one] = data.rows;
    expect(one.p50LatencyMs).toBeGreaterThan(25);
    expect(one.p50LatencyMs).toBeLessThanOrEqual(50);
    expect(one.p95LatencyMs).toBeGreaterThan(50);
    expect(one.p95LatencyMs).toBeLessThanOrEqual(100);
  });

  it("groups by model and picks the granularity from from/to", async () => {
    const from = new Date(base - 60_000).toISOString();
    const to = new Date(base + 10 * 60_000).toISOString();
    const { data } = await (await get(a.slug, `from=${from}&to=${to}&by=model`, { cookie: viewerCookie })).json();
    expect(data).toMatchObject({ granularity: "minute", by: "model", from, to });
    expect(data.series).toHaveLength(11);
    expect(data.series[1]).toMatchObject({ bucketStart: new Date(base).toISOString(), requests: 6 });
    expect(data.series[3]).toMatchObject({ requests: 3 });
    expect(data.rows.map((r: { model: string; requests: number }) => [r.model, r.requests])).toEqual([
      ["echo", 6],
      ["embed", 3],
    ]);
  });

  it("answers an API key with usage:read, and refuses one without it", async () => {
    const ok = await get(a.slug, "range=7d&by=model", { bearer: readerSecret });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data.totals.requests).toBe(9);
    const refused = await get(a.slug, "range=7d", { bearer: noScopeSecret });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
  });

  it("shows another tenant nothing of this one's usage, and a non-member 404", async () => {
    const { data } = await (await get(b.slug, "range=24h", { cookie: outsiderCookie })).json();
    expect(data.totals.requests).toBe(1);
    expect(data.rows.map((r: { keyName: string | null }) => r.keyName)).toEqual([null]);
    expect((await get(b.slug, "range=24h", { cookie: viewerCookie })).status).toBe(404);
  });

  it("refuses bad dates and ranges with 400 and field errors", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["from=yesterday", "from", /ISO 8601/],
      ["to=2026-13-45T00:00:00Z", "to", /ISO 8601/],
      ["from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to", /after from/],
      ["range=1y", "range", /24h, 7d, 30d/],
      ["range=24h&from=2026-01-01T00:00:00Z", "range", /either range or from\/to/],
      ["by=route", "by", /key or model/],
      ["from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from", /400 days/],
      ["range=30d&granularity=minute".replace("range=30d&", "from=2026-01-01T00:00:00Z&to=2026-01-31T00:00:00Z&"), "granularity", /coarser/],
    ];
    for (const [query, field, message] of cases) {
      const res = await get(a.slug, query, { cookie: viewerCookie });
      expect(res.status, query).toBe(400);
      const { error } = await res.json();
      expect(error.code, query).toBe("validation_failed");
      expect(error.fields?.[field], query).toMatch(message);
    }
  });

  it("limits every figure to one key and/or one model, and names the filter", async () => {
    const only = async (query: string) => (await (await get(a.slug, `range=24h&${query}`, { cookie: viewerCookie })).json()).data;
    const one = await only(`key=${keyOne.id}`);
    expect(one.filter).toEqual({ keyId: keyOne.id, keyName: "checkout service", model: null });
    expect(one.totals).toMatchObject({ requests: 6, errors: 1, totalTokens: 84 });
    expect(one.series.reduce((n: number, p: { requests: number }) => n + p.requests, 0)).toBe(6);
    expect(one.rows.map((r: { keyId: string; requests: number }) => [r.keyId, r.requests])).toEqual([[keyOne.id, 6]]);
    // Upper-case ids are the same key; by model, the key's models.
    const byModel = await only(`key=${keyTwo.id.toUpperCase()}&by=model`);
    expect(byModel.rows.map((r: { model: string; requests: number }) => [r.model, r.requests])).toEqual([["embed", 3]]);
    const embed = await only("model=embed");
    expect(embed.filter).toEqual({ keyId: null, keyName: null, model: "embed" });
    expect(embed.totals).toMatchObject({ requests: 3, totalTokens: 9 });
    expect(embed.rows.map((r: { keyName: string; requests: number }) => [r.keyName, r.requests])).toEqual([["batch jobs", 3]]);
    // Both: only what matches both; a model without usage is zeros, not an error (models come and go, their usage stays).
    expect((await only(`key=${keyOne.id}&model=embed`)).totals.requests).toBe(0);
    expect((await only(`key=${keyOne.id}&model=echo`)).totals.requests).toBe(6);
    const none = await only("model=no-such-model");
    expect(none.totals.requests).toBe(0);
    expect(none.rows).toEqual([]);
    // An empty parameter (a cleared selector in a shared link) is no filter.
    expect((await only("key=&model=")).totals.requests).toBe(9);
  });

  it("answers a key that is not this tenant's — unknown, or another tenant's — with the same 404", async () => {
    const foreignKey = (await createApiKey(b.id, { name: "b's key", scopes: ["inference"] as never }, { actor: { type: "system", id: "test" } })).key.id;
    const answers = [];
    for (const id of [randomUUID(), foreignKey]) {
      const res = await get(a.slug, `range=24h&key=${id}`, { cookie: viewerCookie });
      const { error } = await res.json();
      answers.push({ status: res.status, code: error.code, message: error.message });
      const csv = await exportCsv(a.slug, `range=24h&key=${id}`, { bearer: readerSecret });
      expect(csv.status).toBe(404);
    }
    expect(answers[0]).toEqual({ status: 404, code: "not_found", message: expect.any(String) });
    expect(answers[1]).toEqual(answers[0]);
    // The key's own tenant sees it (no usage yet).
    const own = await (await get(b.slug, `range=24h&key=${foreignKey}`, { cookie: outsiderCookie })).json();
    expect(own.data).toMatchObject({ filter: { keyId: foreignKey, keyName: "b's key" }, totals: { requests: 0 } });
    const bad = await get(a.slug, "range=24h&key=checkout", { cookie: viewerCookie });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields.key).toMatch(/UUID/);
  });

  it("exports only the chosen key's or model's events", async () => {
    const from = new Date(base - 60_000).toISOString();
    const to = new Date(base + 10 * 60_000).toISOString();
    const lines = async (query: string) => (await (await exportCsv(a.slug, `from=${from}&to=${to}&${query}`, { bearer: readerSecret })).text()).trimEnd().split("\r\n").slice(1);
    const two = await lines(`key=${keyTwo.id}`);
    expect(two).toHaveLength(3);
    expect(two.every((l) => l.includes(`,${keyTwo.id},batch jobs,embed,`))).toBe(true);
    expect(await lines("model=echo")).toHaveLength(6);
    expect(await lines(`model=echo&key=${keyTwo.id}`)).toEqual([]);
  });

  it("exports the range's events as CSV, streamed, one line per request", async () => {
    const from = new Date(base - 60_000).toISOString();
    const to = new Date(base + 10 * 60_000).toISOString();
    const res = await exportCsv(a.slug, `from=${from}&to=${to}`, { bearer: readerSecret });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="usage-${a.slug}-\\d{8}T\\d{4}-\\d{8}T\\d{4}\\.csv"$`));
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("occurred_at,request_id,key_id,key_name,model,route,status,latency_ms,prompt_tokens,completion_tokens,total_tokens");
    expect(lines).toHaveLength(10);
    expect(lines[1]).toBe(`${new Date(base).toISOString()},req-0,${keyOne.id},checkout service,echo,openai.chat,200,10,10,4,14`);
    expect(lines.filter((l) => l.includes(",batch jobs,embed,"))).toHaveLength(3);
    expect((await exportCsv(a.slug, "from=nope", { cookie: viewerCookie })).status).toBe(400);
    expect((await exportCsv(a.slug, "range=24h", { bearer: noScopeSecret })).status).toBe(403);
  });
});

describe("usage day buckets in the tenant's time zone", () => {
  const actor = { type: "system" as const, id: "test" };
  let cookie: string;
  let la: { id: string; slug: string };
  let kolkata: { id: string; slug: string };
  let laKey: string;
  let kolkataKey: string;

  const get = (slug: string, query: string) => usageRoute.GET(apiRequest(`/u?${query}`, { cookie }), segment({ slug }));
  const report = async (slug: string, query: string) => {
    const res = await get(slug, query);
    expect(res.status, query).toBe(200);
    return (await res.json()).data;
  };
  const event = (tenantId: string, keyId: string, requestId: string, iso: string, model = "echo"): UsageRecord => ({
    tenantId,
    keyId,
    requestId,
    route: "openai.chat",
    model,
    status: 200,
    latencyMs: 30,
    promptTokens: 4,
    completionTokens: 1,
    totalTokens: 5,
    at: Date.parse(iso),
  });
  const days = (data: { series: { bucketStart: string; requests: number }[] }) => data.series.map((p) => [p.bucketStart, p.requests]);

  beforeAll(async () => {
    const owner = await createTestUser("usage-tz-owner");
    cookie = await sessionCookieFor(owner);
    const make = async (name: string, timeZone: string) => {
      const t = await createTenant({ name, slug: `usage-tz-${timeZone.split("/")[1]!.toLowerCase().replace("_", "-")}-${stamp()}` }, { ownerUserId: owner, actor });
      await withTenant(t.id, (tx) => tx.tenant.update({ where: { id: t.id }, data: { timeZone } }));
      return t;
    };
    la = await make("Usage LA", "America/Los_Angeles");
    kolkata = await make("Usage Kolkata", "Asia/Kolkata");
    laKey = (await createApiKey(la.id, { name: "la key", scopes: ["inference"] as never }, { actor })).key.id;
    kolkataKey = (await createApiKey(kolkata.id, { name: "kolkata key", scopes: ["inference"] as never }, { actor })).key.id;
    // Los Angeles is UTC−8 in January: local midnight of 15 Jan is 08:00 UTC.
    await withTenant(la.id, (tx) =>
      storeUsageBatch(tx, la.id, [
        event(la.id, laKey, "la-1", "2026-01-15T07:30:00Z"), // 14 Jan, 23:30
        event(la.id, laKey, "la-2", "2026-01-15T07:59:59.900Z"), // 14 Jan, 23:59:59.9
        event(la.id, laKey, "la-3", "2026-01-15T08:00:00Z", "embed"), // 15 Jan, 00:00
        event(la.id, laKey, "la-4", "2026-01-16T07:59:00Z"), // 15 Jan, 23:59
        event(la.id, laKey, "la-5", "2026-01-16T08:00:30Z"), // 16 Jan, 00:00:30
      ]),
    );
    // Kolkata is UTC+5:30: local midnight of 15 Jan is 18:30 UTC on the 14th, inside a UTC hour.
    await withTenant(kolkata.id, (tx) =>
      storeUsageBatch(tx, kolkata.id, [
        event(kolkata.id, kolkataKey, "in-1", "2026-01-14T18:10:00Z"), // 14 Jan, 23:40
        event(kolkata.id, kolkataKey, "in-2", "2026-01-14T18:29:59Z"), // 14 Jan, 23:59:59
        event(kolkata.id, kolkataKey, "in-3", "2026-01-14T18:30:00Z", "embed"), // 15 Jan, 00:00
        event(kolkata.id, kolkataKey, "in-4", "2026-01-14T19:10:00Z"), // 15 Jan, 00:40
        event(kolkata.id, kolkataKey, "in-5", "2026-01-15T18:29:00Z"), // 15 Jan, 23:59
        event(kolkata.id, kolkataKey, "in-6", "2026-01-15T18:45:00Z", "embed"), // 16 Jan, 00:15
      ]),
    );
  });

  it("counts a Los Angeles tenant's requests in its local days, around local midnight", async () => {
    const data = await report(la.slug, "from=2026-01-14&to=2026-01-17&granularity=day");
    expect(data).toMatchObject({ timeZone: "America/Los_Angeles", from: "2026-01-14T08:00:00.000Z", to: "2026-01-17T08:00:00.000Z" });
    expect(days(data)).toEqual([
      ["2026-01-14T08:00:00.000Z", 2],
      ["2026-01-15T08:00:00.000Z", 2],
      ["2026-01-16T08:00:00.000Z", 1],
    ]);
    expect(data.totals.requests).toBe(5);
    // The rows add up to the same days; a model filter follows the same buckets.
    const byModel = await report(la.slug, "from=2026-01-14&to=2026-01-17&granularity=day&by=model");
    expect(byModel.rows.map((r: { model: string; requests: number }) => [r.model, r.requests])).toEqual([
      ["echo", 4],
      ["embed", 1],
    ]);
    expect(days(await report(la.slug, `from=2026-01-14&to=2026-01-17&granularity=day&model=embed&key=${laKey}`)).map(([, n]) => n)).toEqual([0, 1, 0]);
    // Hours are UTC's (and the zone's: a whole-hour offset); a date-time with an offset is that instant.
    const hours = await report(la.slug, "from=2026-01-15T07:00:00Z&to=2026-01-15T09:00:00Z&granularity=hour");
    expect(days(hours)).toEqual([
      ["2026-01-15T07:00:00.000Z", 2],
      ["2026-01-15T08:00:00.000Z", 1],
    ]);
  });

  it("counts a tenant 30 minutes off UTC's hours exactly, splitting the hour its midnight cuts", async () => {
    const data = await report(kolkata.slug, "from=2026-01-14&to=2026-01-17&granularity=day");
    expect(data).toMatchObject({ timeZone: "Asia/Kolkata", from: "2026-01-13T18:30:00.000Z", to: "2026-01-16T18:30:00.000Z" });
    expect(days(data)).toEqual([
      ["2026-01-13T18:30:00.000Z", 2],
      ["2026-01-14T18:30:00.000Z", 3],
      ["2026-01-15T18:30:00.000Z", 1],
    ]);
    const byKey = await report(kolkata.slug, `from=2026-01-14&to=2026-01-17&granularity=day&key=${kolkataKey}`);
    expect(byKey.rows.map((r: { keyId: string; requests: number }) => [r.keyId, r.requests])).toEqual([[kolkataKey, 6]]);
    const embed = await report(kolkata.slug, "from=2026-01-14&to=2026-01-17&granularity=day&model=embed");
    expect(days(embed).map(([, n]) => n)).toEqual([0, 1, 1]);
    // A range starting mid-day starts at that day's local midnight.
    expect((await report(kolkata.slug, "from=2026-01-15T12:00&to=2026-01-16T00:00&granularity=day")).series).toMatchObject([
      { bucketStart: "2026-01-14T18:30:00.000Z", requests: 3 },
    ]);
  });

  it("ends a 30-day range with the tenant's today, the day its daily quota counts", async () => {
    const data = await report(la.slug, "range=30d");
    expect(data.granularity).toBe("day");
    const today = periodAt("day", "America/Los_Angeles", new Date());
    expect(data.series.at(-1).bucketStart).toBe(today.startsAt.toISOString());
    expect(data.to).toBe(today.endsAt.toISOString());
  });
});
