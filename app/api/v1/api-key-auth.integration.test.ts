import { NextResponse } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as auditRoute from "@/app/api/v1/tenants/[slug]/audit/route";
import * as keysRoute from "@/app/api/v1/tenants/[slug]/keys/route";
import * as keyRoute from "@/app/api/v1/tenants/[slug]/keys/[id]/route";
import * as revokeRoute from "@/app/api/v1/tenants/[slug]/keys/[id]/revoke/route";
import * as rotateRoute from "@/app/api/v1/tenants/[slug]/keys/[id]/rotate/route";
import * as membersRoute from "@/app/api/v1/tenants/[slug]/members/route";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp, type TestRequest } from "@/test/management-api";
import { getDb } from "@/lib/db/client";
import { withTenant } from "@/lib/db/tenant-scope";
import { createApiKey } from "@/lib/keys/create-key";
import { generateApiKey, hashApiKey } from "@/lib/keys/key-format";
import type { KeyScope } from "@/lib/keys/key-schemas";
import { lookupKeyByHash } from "@/lib/keys/lookup-key";
import { revokeApiKey } from "@/lib/keys/revoke-key";
import { rotateApiKey } from "@/lib/keys/rotate-key";
import { closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";
import { withTenantRoute } from "@/lib/auth/tenant-route";

vi.mock("server-only", () => ({}));

const system = { actor: { type: "system" as const, id: "test" } };

describe("management API with API keys", () => {
  let owner: string;
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };

  const key = async (scopes: KeyScope[], extra: { ips?: string[]; tenantId?: string } = {}) => {
    const { key, secret } = await createApiKey(extra.tenantId ?? a.id, { name: `k-${scopes.join("+")}`, scopes, ips: extra.ips }, system);
    return { id: key.id, secret };
  };
  const list = (slug: string, init: TestRequest) => keysRoute.GET(apiRequest("/k", init), segment({ slug }));
  const create = (slug: string, body: unknown, init: TestRequest) =>
    keysRoute.POST(apiRequest("/k", { method: "POST", body, ...init }), segment({ slug }));
  const codeOf = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;

  beforeAll(async () => {
    owner = await createTestUser("apikey-owner");
    a = await createTenant({ name: "Key A", slug: `apikey-a-${stamp()}` }, { ownerUserId: owner, ...system });
    b = await createTenant({ name: "Key B", slug: `apikey-b-${stamp()}` }, { ownerUserId: owner, ...system });
  });

  afterAll(async () => {
    await closeSharedRedis();
    await getDb().$disconnect();
  });

  it("creates, lists, rotates and revokes keys with a keys:write key; audit names the key", async () => {
    const admin = await key(["keys:write", "inference"]);
    const created = await create(a.slug, { name: "from ci", scopes: ["inference"] }, { bearer: admin.secret });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const { data } = await created.json();
    expect(data.key).toMatch(/^mgk_/);

    const listed = await list(a.slug, { bearer: admin.secret });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(JSON.parse(text).data.map((k: { id: string }) => k.id)).toContain(data.id);
    expect(text).not.toContain(data.key.slice(8));

    const rotated = await rotateRoute.POST(apiRequest("/k", { method: "POST", bearer: admin.secret, body: { graceSeconds: 0 } }), segment({ slug: a.slug, id: data.id }));
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    expect((await rotated.json()).data).toMatchObject({ id: data.id, generation: 2, key: expect.stringMatching(/^mgk_/) });

    const revoked = await revokeRoute.POST(apiRequest("/k", { method: "POST", bearer: admin.secret }), segment({ slug: a.slug, id: data.id }));
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).data.status).toBe("revoked");

    const audit = await withTenant(a.id, (tx) => tx.auditLog.findMany({ where: { targetId: data.id }, orderBy: { createdAt: "asc" } }));
    expect(audit.map((e) => [e.action, e.actorType, e.actorId])).toEqual([
      ["key.create", "api_key", admin.id],
      ["key.rotate", "api_key", admin.id],
      ["key.revoke", "api_key", admin.id],
    ]);
  });

  it("answers 404 when a key is used on another tenant's URL — as for a tenant that does not exist", async () => {
    const fromB = await key(["keys:read", "keys:write", "audit:read"], { tenantId: b.id });
    for (const res of [
      await list(a.slug, { bearer: fromB.secret }),
      await create(a.slug, { name: "x", scopes: ["inference"] }, { bearer: fromB.secret }),
      await list(`no-such-${stamp()}`, { bearer: fromB.secret }),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "not_found", message: "Tenant not found" } });
    }
    expect((await list(b.slug, { bearer: fromB.secret })).status).toBe(200);
  });

  it("answers 403 when the key's scopes do not grant the permission", async () => {
    const reader = await key(["keys:read"]);
    expect((await list(a.slug, { bearer: reader.secret })).status).toBe(200);
    const res = await create(a.slug, { name: "x", scopes: ["inference"] }, { bearer: reader.secret });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: "forbidden", message: expect.stringContaining("keys.write") });

    const inference = await key(["inference"]);
    expect((await list(a.slug, { bearer: inference.secret })).status).toBe(403);
    const audit = await key(["audit:read"]);
    expect((await list(a.slug, { bearer: audit.secret })).status).toBe(403);
    expect((await auditRoute.GET(apiRequest("/a?limit=5", { bearer: audit.secret }), segment({ slug: a.slug }))).status).toBe(200);
  });

  it("never lets a key manage members, whatever its scopes", async () => {
    const everything = await key(["inference", "models:read", "usage:read", "keys:read", "keys:write", "models:write", "audit:read"]);
    const res = await membersRoute.GET(apiRequest("/m", { bearer: everything.secret }), segment({ slug: a.slug }));
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: "forbidden", message: expect.stringContaining("API keys cannot use it") });
  });

  it("answers 401 invalid_api_key for revoked, expired, unknown and malformed keys alike", async () => {
    const revoked = await key(["keys:read"]);
    await revokeApiKey(a.id, revoked.id, system);
    const rotatedOut = await key(["keys:read"]);
    await rotateApiKey(a.id, rotatedOut.id, { graceSeconds: 0 }, system);
    const unknown = generateApiKey().secret;
    const mistyped = `${unknown.slice(0, -1)}${unknown.endsWith("A") ? "B" : "A"}`;
    for (const bearer of [revoked.secret, rotatedOut.secret, unknown, mistyped, "mgk_short", "not-a-key"]) {
      const res = await list(a.slug, { bearer });
      expect(res.status, bearer).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("invalid_token");
      expect((await res.json()).error).toMatchObject({ code: "invalid_api_key", message: "Invalid API key" });
    }
    const basic = await list(a.slug, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(basic.status).toBe(401);
  });

  it("lets the Authorization header win over a session cookie riding along", async () => {
    const cookie = await sessionCookieFor(owner);
    expect((await list(a.slug, { cookie })).status).toBe(200);
    expect((await list(a.slug, { cookie, bearer: generateApiKey().secret })).status).toBe(401);
    const fromB = await key(["keys:read"], { tenantId: b.id });
    expect((await list(a.slug, { cookie, bearer: fromB.secret })).status).toBe(404);
  });

  it("applies the same-origin check to cookie sessions only", async () => {
    const admin = await key(["keys:write", "inference"]);
    const evil = { origin: "https://evil.example" };
    const byKey = await create(a.slug, { name: "automation", scopes: ["inference"] }, { bearer: admin.secret, headers: evil });
    expect(byKey.status).toBe(201);
    const bySession = await create(a.slug, { name: "csrf", scopes: ["inference"] }, { cookie: await sessionCookieFor(owner), headers: evil });
    expect(bySession.status).toBe(403);
  });

  it("refuses sensitive key changes by API key with 403 step_up_unavailable; plain ones pass", async () => {
    const admin = await key(["keys:write", "inference"]);
    const target = await key(["inference"]);
    const patch = (body: unknown) =>
      keyRoute.PATCH(apiRequest("/k", { method: "PATCH", bearer: admin.secret, body }), segment({ slug: a.slug, id: target.id }));
    for (const body of [{ scopes: ["inference"] }, { ips: ["10.0.0.0/8"] }, { models: ["echo"] }, { name: "n", scopes: ["inference"] }]) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(await codeOf(res)).toBe("step_up_unavailable");
    }
    const renamed = await patch({ name: "renamed by automation", rateLimit: null });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).data.name).toBe("renamed by automation");
  });

  it("refuses a key on a route declared stepUp, with step_up_unavailable", async () => {
    const probe = withTenantRoute(async () => NextResponse.json({ ok: true }), { permission: "keys.write", apiKeys: true, stepUp: true });
    const admin = await key(["keys:write"]);
    const res = await probe(apiRequest("/p", { method: "POST", bearer: admin.secret }), segment({ slug: a.slug }));
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe("step_up_unavailable");
  });

  it("lets a key issue or rotate only keys within its own scopes", async () => {
    const admin = await key(["keys:write", "inference"]);
    const wider = await create(a.slug, { name: "escalate", scopes: ["inference", "models:write"] }, { bearer: admin.secret });
    expect(wider.status).toBe(403);
    expect((await wider.json()).error.message).toContain("models:write");
    expect((await create(a.slug, { name: "narrow", scopes: ["inference"] }, { bearer: admin.secret })).status).toBe(201);

    const powerful = await key(["audit:read", "inference"]);
    const rotate = await rotateRoute.POST(apiRequest("/k", { method: "POST", bearer: admin.secret }), segment({ slug: a.slug, id: powerful.id }));
    expect(rotate.status).toBe(403);
    expect((await lookupKeyByHash(hashApiKey(powerful.secret)))!.validUntil).toBeNull();
    // Revoking is not an escalation.
    const revoke = await revokeRoute.POST(apiRequest("/k", { method: "POST", bearer: admin.secret }), segment({ slug: a.slug, id: powerful.id }));
    expect(revoke.status).toBe(200);
  });

  it("enforces the key's IP allow-list on the management API too", async () => {
    const pinned = await key(["keys:read"], { ips: ["10.0.0.0/8"] });
    const outside = await list(a.slug, { bearer: pinned.secret, headers: { "x-forwarded-for": "192.0.2.1" } });
    expect(outside.status).toBe(403);
    expect(await codeOf(outside)).toBe("ip_not_allowed");
    expect((await list(a.slug, { bearer: pinned.secret, headers: { "x-forwarded-for": "10.9.8.7" } })).status).toBe(200);
  });

  it("answers 403 tenant_suspended for a key of a suspended tenant", async () => {
    const c = await createTenant({ name: "Key C", slug: `apikey-c-${stamp()}` }, { ownerUserId: owner, ...system });
    const reader = await key(["keys:read"], { tenantId: c.id });
    await getDb().tenant.update({ where: { id: c.id }, data: { status: "suspended", suspendedAt: new Date() } });
    const res = await list(c.slug, { bearer: reader.secret });
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe("tenant_suspended");
  });

  it("records when the key was last used", async () => {
    const reader = await key(["keys:read"]);
    expect((await list(a.slug, { bearer: reader.secret })).status).toBe(200);
    const row = await withTenant(a.id, (tx) => tx.apiKey.findUniqueOrThrow({ where: { id: reader.id }, select: { lastUsedAt: true } }));
    expect(row.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });
});
