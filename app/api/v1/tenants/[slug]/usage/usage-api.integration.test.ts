import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as usageRoute from "@/app/api/v1/tenants/[slug]/usage/route";
import * as exportRoute from "@/app/api/v1/tenants/[slug]/usage/export/route";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "@/test/management-api";
import { getDb } from "@/lib/db/client";
import { withTenant } from "@/lib/db/tenant-scope";
import { createApiKey } from "@/lib/keys/create-key";
import { closeSharedRedis } from "@/lib/redis/shared";
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
