import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as keysRoute from "@/app/api/v1/tenants/[slug]/keys/route";
import * as keyRoute from "@/app/api/v1/tenants/[slug]/keys/[id]/route";
import * as revokeRoute from "@/app/api/v1/tenants/[slug]/keys/[id]/revoke/route";
import * as rotateRoute from "@/app/api/v1/tenants/[slug]/keys/[id]/rotate/route";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp, type TestRequest } from "@/test/management-api";
import { getDb } from "@/lib/db/client";
import { withTenant } from "@/lib/db/tenant-scope";
import { closeSharedRedis } from "@/lib/redis/shared";
import { createTenant } from "@/lib/tenants/create-tenant";
import { createApiKey } from "@/lib/keys/create-key";
import { hashApiKey, isWellFormedApiKey } from "@/lib/keys/key-format";
import { apiKeyOutput } from "@/lib/keys/key-schemas";
import { lookupKeyByHash } from "@/lib/keys/lookup-key";

vi.mock("server-only", () => ({}));

const VIEW_FIELDS = Object.keys(apiKeyOutput.shape).sort();

// The management API for keys, driven with console sessions (API-key callers:
// lib/auth/api-key-auth.integration.test.ts).
describe("keys management API (session)", () => {
  let owner: string;
  let viewer: string;
  let outsider: string;
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let ownerCookie: string;

  const list = (slug: string, init: TestRequest = {}) => keysRoute.GET(apiRequest("/k", init), segment({ slug }));
  const create = (slug: string, body: unknown, init: TestRequest = {}) =>
    keysRoute.POST(apiRequest("/k", { method: "POST", body, ...init }), segment({ slug }));
  const getOne = (slug: string, id: string, init: TestRequest = {}) => keyRoute.GET(apiRequest("/k", init), segment({ slug, id }));
  const patch = (slug: string, id: string, body: unknown, init: TestRequest = {}) =>
    keyRoute.PATCH(apiRequest("/k", { method: "PATCH", body, ...init }), segment({ slug, id }));
  const rotate = (slug: string, id: string, init: TestRequest = {}) =>
    rotateRoute.POST(apiRequest("/k", { method: "POST", ...init }), segment({ slug, id }));
  const revoke = (slug: string, id: string, init: TestRequest = {}) =>
    revokeRoute.POST(apiRequest("/k", { method: "POST", ...init }), segment({ slug, id }));

  beforeAll(async () => {
    owner = await createTestUser("keys-owner");
    viewer = await createTestUser("keys-viewer");
    outsider = await createTestUser("keys-outsider");
    const actor = { type: "system" as const, id: "test" };
    a = await createTenant({ name: "Keys A", slug: `keys-api-a-${stamp()}` }, { ownerUserId: owner, actor });
    b = await createTenant({ name: "Keys B", slug: `keys-api-b-${stamp()}` }, { ownerUserId: outsider, actor });
    await withTenant(a.id, (tx) => tx.membership.create({ data: { tenantId: a.id, userId: viewer, role: "viewer" } }));
    ownerCookie = await sessionCookieFor(owner);
  });

  afterAll(async () => {
    await closeSharedRedis();
    await getDb().$disconnect();
  });

  it("creates a key: 201, the secret once, no-store, and nothing but the view's fields", async () => {
    const res = await create(a.slug, { name: "ci deploy", scopes: ["inference", "models:read"], ips: ["10.1.2.3/8"], rateLimit: { requests: 100, windowSeconds: 60 } }, { cookie: ownerCookie });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { data } = await res.json();
    expect(Object.keys(data).sort()).toEqual([...VIEW_FIELDS, "key"].sort());
    expect(data).toMatchObject({ name: "ci deploy", scopes: ["inference", "models:read"], ips: ["10.0.0.0/8"], status: "active", generation: 1, rateLimit: { requests: 100, windowSeconds: 60 } });
    expect(isWellFormedApiKey(data.key)).toBe(true);
    expect(data.key.startsWith(data.displayPrefix)).toBe(true);
    expect(await lookupKeyByHash(hashApiKey(data.key))).toMatchObject({ tenantId: a.id, keyId: data.id });

    const audit = await withTenant(a.id, (tx) => tx.auditLog.findFirstOrThrow({ where: { targetId: data.id, action: "key.create" } }));
    expect(audit).toMatchObject({ actorType: "user", actorId: owner, ip: "127.0.0.1" });
    expect(audit.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("never shows the secret again: not in the list, not in a read", async () => {
    const created = await (await create(a.slug, { name: "listed", scopes: ["usage:read"] }, { cookie: ownerCookie })).json();
    const secret: string = created.data.key;
    const listed = await list(a.slug, { cookie: ownerCookie });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(8));
    const { data } = JSON.parse(text);
    expect(data[0].id).toBe(created.data.id); // newest first
    for (const key of data) expect(Object.keys(key).sort()).toEqual(VIEW_FIELDS);

    const one = await getOne(a.slug, created.data.id, { cookie: ownerCookie });
    expect(one.status).toBe(200);
    const body = await one.json();
    expect(Object.keys(body.data).sort()).toEqual(VIEW_FIELDS);
    expect(JSON.stringify(body)).not.toContain(secret.slice(8));
  });

  it("rotates: a new secret once under the same id, the old one valid for the grace period", async () => {
    const { data: created } = await (await create(a.slug, { name: "rotating", scopes: ["inference"] }, { cookie: ownerCookie })).json();
    const res = await rotate(a.slug, created.id, { cookie: ownerCookie, body: { graceSeconds: 600 } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { data } = await res.json();
    expect(Object.keys(data).sort()).toEqual([...VIEW_FIELDS, "key", "previousValidUntil"].sort());
    expect(data).toMatchObject({ id: created.id, generation: 2 });
    expect(data.key).not.toBe(created.key);
    const until = new Date(data.previousValidUntil).getTime();
    expect(until).toBeGreaterThan(Date.now() + 590_000);
    expect((await lookupKeyByHash(hashApiKey(created.key)))!.validUntil!.getTime()).toBe(until);

    // No body at all: the default grace period (1 h).
    const again = await rotate(a.slug, created.id, { cookie: ownerCookie });
    expect(again.status).toBe(200);
    expect((await again.json()).data.generation).toBe(3);
  });

  it("revokes (POST .../revoke): status revoked, idempotent, and a revoked key is not rotated or changed", async () => {
    const { data: created } = await (await create(a.slug, { name: "doomed", scopes: ["inference"] }, { cookie: ownerCookie })).json();
    const res = await revoke(a.slug, created.id, { cookie: ownerCookie });
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data).toMatchObject({ id: created.id, status: "revoked", revokedAt: expect.any(String) });
    expect((await revoke(a.slug, created.id, { cookie: ownerCookie })).status).toBe(200);
    expect((await lookupKeyByHash(hashApiKey(created.key)))!.revoked).toBe(true);

    const rotated = await rotate(a.slug, created.id, { cookie: ownerCookie, body: {} });
    expect(rotated.status).toBe(409);
    expect((await rotated.json()).error.code).toBe("conflict");
    expect((await patch(a.slug, created.id, { name: "zombie" }, { cookie: ownerCookie })).status).toBe(409);
  });

  it("refuses bad input with 400 and per-field messages", async () => {
    const cases: Array<[unknown, Record<string, string>]> = [
      [{ name: "", scopes: ["inference"] }, { name: "Name is required" }],
      [{ name: "x", scopes: [] }, { scopes: "Choose at least one scope" }],
      [{ name: "x", scopes: ["inference"], ips: ["10.0.0.300/8"] }, { ips: '"10.0.0.300/8" is not an IPv4 or IPv6 address or CIDR' }],
      [{ name: "x", scopes: ["inference"], expiresAt: "2001-01-01T00:00:00Z" }, { expiresAt: "The expiry must be in the future" }],
      [{ name: "x", scopes: ["inference"], rateLimit: { requests: 0, windowSeconds: 60 } }, { "rateLimit.requests": "At least 1 request" }],
    ];
    for (const [body, fields] of cases) {
      const res = await create(a.slug, body, { cookie: ownerCookie });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const { error } = await res.json();
      expect(error).toMatchObject({ code: "validation_failed", fields, request_id: expect.any(String) });
    }
    const scopes = await (await create(a.slug, { name: "x", scopes: ["root"] }, { cookie: ownerCookie })).json();
    expect(Object.keys(scopes.error.fields)).toEqual(["scopes.0"]);

    const notJson = await create(a.slug, "name=x", { cookie: ownerCookie, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(notJson.status).toBe(415);
    const broken = await create(a.slug, "{not json", { cookie: ownerCookie });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("bad_request");
    const grace = await rotate(a.slug, "00000000-0000-4000-8000-000000000000", { cookie: ownerCookie, body: { graceSeconds: -1 } });
    expect(grace.status).toBe(400);
    expect((await grace.json()).error.fields).toHaveProperty("graceSeconds");
  });

  it("answers 404 for another tenant's key id and for ids that are not UUIDs", async () => {
    const foreign = await createApiKey(b.id, { name: "b-only", scopes: ["inference"] }, { actor: { type: "system", id: "test" } });
    for (const id of [foreign.key.id, "not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      for (const res of [
        await getOne(a.slug, id, { cookie: ownerCookie }),
        await patch(a.slug, id, { name: "mine now" }, { cookie: ownerCookie }),
        await rotate(a.slug, id, { cookie: ownerCookie }),
        await revoke(a.slug, id, { cookie: ownerCookie }),
      ]) {
        expect(res.status, id).toBe(404);
        expect((await res.json()).error.code).toBe("not_found");
      }
    }
    expect((await lookupKeyByHash(hashApiKey(foreign.secret)))!.revoked).toBe(false);
  });

  it("shows a viewer the list but refuses every change (403)", async () => {
    const cookie = await sessionCookieFor(viewer);
    const { data: created } = await (await create(a.slug, { name: "v", scopes: ["inference"] }, { cookie: ownerCookie })).json();
    expect((await list(a.slug, { cookie })).status).toBe(200);
    expect((await getOne(a.slug, created.id, { cookie })).status).toBe(200);
    for (const res of [
      await create(a.slug, { name: "nope", scopes: ["inference"] }, { cookie }),
      await patch(a.slug, created.id, { name: "nope" }, { cookie }),
      await rotate(a.slug, created.id, { cookie }),
      await revoke(a.slug, created.id, { cookie }),
    ]) {
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
  });

  it("a developer issues keys only within the role: no audit:read or models:write key, not even by rotating or widening one", async () => {
    const developer = await createTestUser("keys-developer");
    await withTenant(a.id, (tx) => tx.membership.create({ data: { tenantId: a.id, userId: developer, role: "developer" } }));
    const cookie = await sessionCookieFor(developer);

    const ok = await create(a.slug, { name: "dev-ok", scopes: ["inference", "models:read", "usage:read", "keys:write"] }, { cookie });
    expect(ok.status).toBe(201);
    for (const scopes of [["audit:read"], ["inference", "models:write"]]) {
      const res = await create(a.slug, { name: "dev-beyond", scopes }, { cookie });
      expect(res.status).toBe(403);
      const body = await res.json();
      expect(body.error.code).toBe("forbidden");
      expect(body.error.message).toContain(scopes.at(-1));
    }
    // The owner's audit:read key is not the developer's to re-issue (a rotation shows its new secret).
    const { data: auditKey } = await (await create(a.slug, { name: "owner-audit", scopes: ["audit:read"] }, { cookie: ownerCookie })).json();
    const rotated = await rotate(a.slug, auditKey.id, { cookie });
    expect(rotated.status).toBe(403);
    expect((await getOne(a.slug, auditKey.id, { cookie })).status).toBe(200);
    const keys = (await (await list(a.slug, { cookie })).json()).data as { name: string }[];
    expect(keys.map((k) => k.name)).not.toContain("dev-beyond");
  });

  it("answers 404 to a non-member and 401 without a session", async () => {
    const res = await list(a.slug, { cookie: await sessionCookieFor(outsider) });
    expect(res.status).toBe(404);
    expect((await list(a.slug)).status).toBe(401);
  });

  it("PATCH: name and rate limit freely; scopes, IPs and models only after a fresh MFA step-up", async () => {
    const { data: created } = await (await create(a.slug, { name: "editable", scopes: ["inference"] }, { cookie: ownerCookie })).json();
    const renamed = await patch(a.slug, created.id, { name: "renamed", rateLimit: { requests: 5, windowSeconds: 1 } }, { cookie: ownerCookie });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).data).toMatchObject({ name: "renamed", rateLimit: { requests: 5, windowSeconds: 1 } });

    for (const body of [{ scopes: ["inference", "usage:read"] }, { ips: ["10.0.0.0/8"] }, { models: ["echo"] }]) {
      const res = await patch(a.slug, created.id, body, { cookie: ownerCookie });
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect((await res.json()).error.code).toBe("mfa_enrollment_required");
    }

    const mfaOwner = await createTestUser("keys-mfa", { mfa: true });
    await withTenant(a.id, (tx) => tx.membership.create({ data: { tenantId: a.id, userId: mfaOwner, role: "admin" } }));
    const stale = await patch(a.slug, created.id, { scopes: ["usage:read"] }, { cookie: await sessionCookieFor(mfaOwner) });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error.code).toBe("step_up_required");

    const fresh = await sessionCookieFor(mfaOwner, { stepUpAt: new Date() });
    const changed = await patch(a.slug, created.id, { scopes: ["usage:read"], ips: ["2001:db8::1/32"], models: ["echo"] }, { cookie: fresh });
    expect(changed.status).toBe(200);
    expect((await changed.json()).data).toMatchObject({ scopes: ["usage:read"], ips: ["2001:db8::/32"], models: ["echo"] });
  });
});
