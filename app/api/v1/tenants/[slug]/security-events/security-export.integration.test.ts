import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as auditRoute from "@/app/api/v1/tenants/[slug]/audit/route";
import * as exportRoute from "@/app/api/v1/tenants/[slug]/security-events/export/route";
import { withTenant } from "@/lib/db/tenant-scope";
import { closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "@/test/management-api";

vi.mock("server-only", () => ({}));

/** GET /api/v1/tenants/{slug}/security-events/export */
describe("security log export", () => {
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let cookie: string;
  const MANY = 1_203;
  const t0 = Date.parse("2026-11-20T08:00:00.000Z");

  const download = (slug: string, query = "") => exportRoute.GET(apiRequest(`/x${query}`, { cookie }), segment({ slug }));
  /** The body's chunks as the client receives them. */
  const chunksOf = async (res: Response) => {
    const chunks: string[] = [];
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(new TextDecoder().decode(r.value));
    return chunks;
  };
  const jsonLines = async (res: Response) => (await res.text()).split("\n").filter(Boolean).map((l) => JSON.parse(l));

  beforeAll(async () => {
    const owner = await createTestUser("sec-export-owner");
    const actor = { type: "system" as const, id: "test" };
    a = await createTenant({ name: "Sec A", slug: `sec-exp-a-${stamp()}` }, { ownerUserId: owner, actor });
    b = await createTenant({ name: "Sec B", slug: `sec-exp-b-${stamp()}` }, { ownerUserId: await createTestUser("sec-export-other"), actor });
    cookie = await sessionCookieFor(owner);
    // Many denials of A: several share a millisecond, so paging must order by (time, id), not time alone.
    await withTenant(a.id, (tx) =>
      tx.securityEvent.createMany({
        data: Array.from({ length: MANY }, (_, i) => ({
          tenantId: a.id,
          requestId: `a-${i}`,
          code: i % 3 === 0 ? "rate_limited" : "invalid_api_key",
          status: i % 3 === 0 ? 429 : 401,
          method: "POST",
          path: "/v1/chat/completions",
          clientIp: i % 2 ? "198.51.100.1" : "198.51.100.2",
          createdAt: new Date(t0 + Math.floor(i / 4) * 1000),
        })),
      }),
    );
    // One whose fields need CSV quoting, and one a spreadsheet would run as a formula.
    await withTenant(a.id, (tx) =>
      tx.securityEvent.createMany({
        data: [
          { tenantId: a.id, requestId: "a-quoted", code: "validation_failed", status: 400, method: "POST", path: '/v1/x?q="a,b"\nnext', clientIp: "198.51.100.9", createdAt: new Date(t0 - 60_000) },
          { tenantId: a.id, requestId: "a-formula", code: "model_not_found", status: 404, method: "POST", path: "/v1/chat/completions", model: "=HYPERLINK(\"http://evil\")", clientIp: "198.51.100.9", createdAt: new Date(t0 - 30_000) },
        ],
      }),
    );
    // Tenant B's denials: same codes and addresses, inside the same time range.
    await withTenant(b.id, (tx) =>
      tx.securityEvent.createMany({
        data: Array.from({ length: 20 }, (_, i) => ({
          tenantId: b.id, requestId: `b-${i}`, code: "rate_limited", status: 429, method: "POST", path: "/v1/chat/completions", clientIp: "198.51.100.1", createdAt: new Date(t0 + i * 1000),
        })),
      }),
    );
  });
  afterAll(() => closeSharedRedis());

  it("streams every event as JSON Lines, oldest first, page by page, never another tenant's", async () => {
    const res = await download(a.slug);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="security-sec-exp-a-.*-\d{8}-\d{6}\.jsonl"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const chunks = await chunksOf(res);
    expect(chunks).toHaveLength(3); // 1,205 events in pages of 500
    const events = chunks.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(events).toHaveLength(MANY + 2);
    expect(new Set(events.map((e) => e.id)).size).toBe(MANY + 2);
    expect(events.some((e) => e.requestId.startsWith("b-"))).toBe(false);
    expect(events.slice(0, 2).map((e) => e.requestId)).toEqual(["a-quoted", "a-formula"]);
    const times = events.map((e) => e.createdAt);
    expect([...times].sort()).toEqual(times);
    expect(Object.keys(events[0]).sort()).toEqual(["clientIp", "code", "createdAt", "id", "keyId", "method", "model", "path", "requestId", "status"]);
  });

  it("applies the list's filters: code, client IP and time range", async () => {
    const from = new Date(t0 + 10_000).toISOString();
    const to = new Date(t0 + 19_000).toISOString();
    const events = await jsonLines(await download(a.slug, `?code=rate_limited&ip=198.51.100.2&from=${from}&to=${to}`));
    // seconds 10..19 hold events 40..79; rate_limited: i % 3 == 0; 198.51.100.2: i even
    const expected = Array.from({ length: 40 }, (_, k) => 40 + k).filter((i) => i % 3 === 0 && i % 2 === 0);
    expect(events.map((e) => e.requestId)).toEqual(expected.map((i) => `a-${i}`));
    expect(events.every((e) => e.code === "rate_limited" && e.clientIp === "198.51.100.2")).toBe(true);
    const other = await download(b.slug); // B's owner could; A's owner is no member of B
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe("not_found");
  });

  it("writes CSV with a header, quotes what needs quoting and defuses formulas", async () => {
    const res = await download(a.slug, `?format=csv&ip=198.51.100.9`);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const text = await res.text();
    expect(text.startsWith("time,code,status,method,path,model,key_id,client_ip,request_id,id\r\n")).toBe(true);
    expect(text).toContain(`,validation_failed,400,POST,"/v1/x?q=""a,b""\nnext",,,198.51.100.9,a-quoted,`);
    expect(text).toContain(`,model_not_found,404,POST,/v1/chat/completions,"'=HYPERLINK(""http://evil"")",,198.51.100.9,a-formula,`);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("answers 400 to bad dates, an unknown format or field, and from after to", async () => {
    for (const q of ["?from=yesterday", "?to=2026-13-45T00:00:00Z", "?format=xml", "?cursor=x", "?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "?keyId=nope"]) {
      const res = await download(a.slug, q);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code, q).toBe("validation_failed");
    }
  });

  it("records each export in the audit trail with its format and filters", async () => {
    await (await download(a.slug, "?format=csv&code=rate_limited&from=2026-11-20")).text();
    const audit = await (await auditRoute.GET(apiRequest("/x?action=security_log.export&limit=1", { cookie }), segment({ slug: a.slug }))).json();
    expect(audit.data.entries[0]).toMatchObject({
      action: "security_log.export",
      target: { type: "security_event", id: null },
      details: { format: "csv", filters: { code: "rate_limited", from: "2026-11-20T00:00:00.000Z" } },
    });
  });
});
