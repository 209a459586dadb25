import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as auditRoute from "@/app/api/v1/tenants/[slug]/audit/route";
import * as checkpointsRoute from "@/app/api/v1/tenants/[slug]/audit/checkpoints/route";
import * as exportRoute from "@/app/api/v1/tenants/[slug]/audit/export/route";
import * as publicKeyRoute from "@/app/api/v1/tenants/[slug]/audit/public-key/route";
import * as verifyRoute from "@/app/api/v1/tenants/[slug]/audit/verify/route";
import * as securityRoute from "@/app/api/v1/tenants/[slug]/security-events/route";
import * as operatorRoute from "@/app/api/v1/operator/audit/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { checkpointSignatureValid } from "@/lib/audit/signing-key";
import { createPublicKey } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { withTenant } from "@/lib/db/tenant-scope";
import { closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "@/test/management-api";

vi.mock("server-only", () => ({}));

describe("audit API", () => {
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let ownerCookie: string;
  let operatorCookie: string;
  let ownerId: string;
  let operatorId: string;

  const get = async (route: { GET: (r: never, s: never) => Promise<Response> }, slug: string, query = "", cookie = ownerCookie) => {
    const res = await route.GET(apiRequest(`/x${query}`, { cookie }) as never, segment({ slug }) as never);
    return { status: res.status, res, body: res.headers.get("content-type")?.includes("application/json") ? await res.json() : null };
  };

  beforeAll(async () => {
    ownerId = await createTestUser("audit-owner");
    const other = await createTestUser("audit-other");
    operatorId = await createTestUser("audit-operator");
    await getDb().user.update({ where: { id: operatorId }, data: { isOperator: true } });
    const actor = { type: "system" as const, id: "test" };
    a = await createTenant({ name: "Audit A", slug: `audit-api-a-${stamp()}` }, { ownerUserId: ownerId, actor });
    b = await createTenant({ name: "Audit B", slug: `audit-api-b-${stamp()}` }, { ownerUserId: other, actor });
    for (let i = 0; i < 7; i++) {
      await withTenant(a.id, (tx) =>
        recordAudit(tx, a.id, {
          action: i % 2 ? "key.update" : "member.role_change",
          actor: { type: "user", id: ownerId },
          target: { type: i % 2 ? "api_key" : "membership", id: `target-${i}` },
          outcome: i === 6 ? "denied" : "success",
          ip: "203.0.113.5",
          metadata: { before: { name: `n${i}` }, after: { name: `n${i + 1}` } },
        }),
      );
    }
    await withTenant(b.id, (tx) => recordAudit(tx, b.id, { action: "key.create", actor: { type: "system", id: "b-only" } }));
    await withTenant(a.id, (tx) =>
      tx.securityEvent.createMany({
        data: [
          { tenantId: a.id, requestId: `r1-${stamp()}`, code: "invalid_api_key", status: 401, method: "POST", path: "/v1/chat/completions", clientIp: "198.51.100.1" },
          { tenantId: a.id, requestId: `r2-${stamp()}`, code: "rate_limited", status: 429, method: "POST", path: "/v1/chat/completions", clientIp: "198.51.100.2" },
        ],
      }),
    );
    ownerCookie = await sessionCookieFor(ownerId);
    operatorCookie = await sessionCookieFor(operatorId);
  });
  afterAll(() => closeSharedRedis());

  it("lists newest first with filters and cursor pages, never another tenant's entries", async () => {
    const all = await get(auditRoute, a.slug, "?limit=3");
    expect(all.status).toBe(200);
    expect(all.body.data.entries.map((e: { seq: number }) => e.seq)).toEqual([8, 7, 6]);
    const next = await get(auditRoute, a.slug, `?limit=3&cursor=${all.body.data.nextCursor}`);
    expect(next.body.data.entries.map((e: { seq: number }) => e.seq)).toEqual([5, 4, 3]);
    const keys = await get(auditRoute, a.slug, "?action=key.*&outcome=success");
    expect(keys.body.data.entries.map((e: { action: string }) => e.action)).toEqual(["key.update", "key.update", "key.update"]);
    expect((await get(auditRoute, a.slug, "?target=target-2")).body.data.entries).toHaveLength(1);
    expect((await get(auditRoute, a.slug, "?outcome=denied")).body.data.entries[0]).toMatchObject({ seq: 8, details: { before: { name: "n6" } } });
    const byEmail = await getDb().user.findUniqueOrThrow({ where: { id: ownerId } });
    expect((await get(auditRoute, a.slug, `?actor=${encodeURIComponent(byEmail.email)}`)).body.data.entries).toHaveLength(7);
    expect((await get(auditRoute, a.slug, "?actor=b-only")).body.data.entries).toEqual([]);
  });

  it("answers 400 to bad dates, unknown fields and from after to", async () => {
    for (const q of ["?from=yesterday", "?to=2026-13-45T00:00:00Z", "?colour=red", "?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "?outcome=maybe"]) {
      const r = await get(auditRoute, a.slug, q);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe("validation_failed");
    }
    expect((await get(exportRoute, a.slug, "?format=xml")).status).toBe(400);
    expect((await get(securityRoute, a.slug, "?from=soon")).status).toBe(400);
  });

  it("exports the filtered range as JSON Lines and CSV, streamed, and records the export", async () => {
    const jsonl = await get(exportRoute, a.slug, "?action=member.role_change");
    expect(jsonl.status).toBe(200);
    expect(jsonl.res.headers.get("content-type")).toContain("application/x-ndjson");
    expect(jsonl.res.headers.get("content-disposition")).toMatch(/attachment; filename="audit-audit-api-a-.*\.jsonl"/);
    expect(jsonl.res.body).toBeInstanceOf(ReadableStream);
    const lines = (await jsonl.res.text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([2, 4, 6, 8]);
    const csv = await get(exportRoute, a.slug, "?format=csv&target=api_key");
    const rows = (await csv.res.text()).trim().split("\r\n");
    expect(rows[0]).toBe("seq,time,actor_type,actor_id,actor,action,target_type,target_id,outcome,ip,user_agent,request_id,details,prev_hash,entry_hash");
    expect(rows).toHaveLength(4);
    expect(rows[1]).toContain(',key.update,api_key,target-1,success,203.0.113.5,');
    const recorded = await get(auditRoute, a.slug, "?action=audit.export");
    expect(recorded.body.data.entries[0]).toMatchObject({ action: "audit.export", details: { format: "csv", filters: { target: "api_key" } } });
  });

  it("verifies the chain, signs checkpoints on demand and serves the public key they verify under", async () => {
    const v = await get(verifyRoute, a.slug);
    expect(v.body.data).toMatchObject({ status: "valid", broken: null });
    expect(v.body.data.valid).toBe(v.body.data.total);
    const created = await checkpointsRoute.POST(apiRequest("/x", { method: "POST", cookie: ownerCookie }), segment({ slug: a.slug }));
    expect(created.status).toBe(201);
    const again = await checkpointsRoute.POST(apiRequest("/x", { method: "POST", cookie: ownerCookie }), segment({ slug: a.slug }));
    expect(again.status).toBe(200);
    const list = await get(checkpointsRoute, a.slug);
    expect(list.body.data).toHaveLength(1);
    const key = await get(publicKeyRoute, a.slug);
    const cp = list.body.data[0];
    expect(checkpointSignatureValid({ ...cp, signedAt: new Date(cp.signedAt) }, cp.signature, createPublicKey(key.body.data.publicKeyPem))).toBe(true);
    expect((await get(checkpointsRoute, b.slug)).status).toBe(404); // not a member of b
  });

  it("filters the security log by code and IP", async () => {
    const all = await get(securityRoute, a.slug);
    expect(all.body.data.events).toHaveLength(2);
    const limited = await get(securityRoute, a.slug, "?code=rate_limited");
    expect(limited.body.data.events).toMatchObject([{ code: "rate_limited", status: 429, clientIp: "198.51.100.2" }]);
    expect((await get(securityRoute, a.slug, "?ip=198.51.100.1")).body.data.events).toHaveLength(1);
  });

  it("lets operators search across tenants, and records each search in the platform audit log", async () => {
    const before = await getDb().platformAuditLog.count({ where: { actorId: operatorId, action: "operator.read" } });
    const r = await operatorRoute.GET(apiRequest(`/x?tenant=${b.slug}`, { cookie: operatorCookie }), segment({}));
    const body = await r.json();
    expect(body.data.entries.map((e: { action: string; tenant: { slug: string } }) => [e.action, e.tenant.slug])).toEqual([["key.create", b.slug], ["tenant.create", b.slug]]);
    const both = await operatorRoute.GET(apiRequest("/x?action=key.create&limit=100", { cookie: operatorCookie }), segment({}));
    const slugs = new Set((await both.json()).data.entries.map((e: { tenant: { slug: string } }) => e.tenant.slug));
    expect(slugs.has(b.slug)).toBe(true);
    const after = await getDb().platformAuditLog.findMany({ where: { actorId: operatorId, action: "operator.read" }, orderBy: { createdAt: "desc" } });
    expect(after.length).toBe(before + 2);
    expect(after[1]).toMatchObject({ targetType: "audit_logs", reason: expect.stringContaining(b.slug) });
    const owner = await operatorRoute.GET(apiRequest("/x", { cookie: ownerCookie }), segment({}));
    expect(owner.status).toBe(404);
  });
});
