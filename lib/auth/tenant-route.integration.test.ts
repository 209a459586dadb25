import { encode } from "next-auth/jwt";
import { NextRequest, NextResponse } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { createTenant } from "../tenants/create-tenant";
import { sessionCookieFor } from "../../test/management-api";
import { sessionCookie } from "./auth-options";
import { withTenantRoute } from "./tenant-route";

vi.mock("server-only", () => ({}));

const stamp = Date.now().toString(36);
const db = getDb();

async function createUser(label: string): Promise<string> {
  const user = await db.user.create({ data: { email: `${label}-${stamp}@example.test`, name: label } });
  return user.id;
}

/** A real session: a user_sessions row and its signed JWT (sessions are checked server-side). */
const cookieFor = (userId: string) => sessionCookieFor(userId);

function request(path: string, init: { cookie?: string; method?: string; headers?: Record<string, string> } = {}) {
  return new NextRequest(`http://localhost:3100${path}`, {
    method: init.method ?? "GET",
    headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...init.headers },
  });
}

const segment = <P,>(params: P) => ({ params: Promise.resolve(params) });

describe("withTenantRoute", () => {
  let owner: string;
  let viewer: string;
  let outsider: string;
  let tenantA: { id: string; slug: string };
  let tenantB: { id: string; slug: string };
  let memberOfB: string;

  beforeAll(async () => {
    owner = await createUser("owner");
    viewer = await createUser("viewer");
    outsider = await createUser("outsider");
    const actor = { type: "system" as const, id: "test" };
    tenantA = await createTenant({ name: "Tenant A", slug: `route-a-${stamp}` }, { ownerUserId: owner, actor });
    tenantB = await createTenant({ name: "Tenant B", slug: `route-b-${stamp}` }, { ownerUserId: outsider, actor });
    await withTenant(tenantA.id, (tx) => tx.membership.create({ data: { tenantId: tenantA.id, userId: viewer, role: "viewer" } }));
    memberOfB = (await withTenant(tenantB.id, (tx) => tx.membership.findFirstOrThrow({ where: { tenantId: tenantB.id } }))).id;
  });

  afterAll(async () => {
    await db.$disconnect();
  });

  const probe = withTenantRoute<{ slug: string }>(
    async ({ tenant, membership, requestId, inTenant }) => {
      const count = await inTenant((tx) => tx.membership.count());
      return NextResponse.json({ tenant: tenant.slug, role: membership.role, requestId, visibleMembers: count });
    },
    { permission: "members.write" },
  );

  it("answers 401 without a session, with the request id in body and header", async () => {
    const res = await probe(request(`/x`, { headers: { "x-request-id": "req-abcdef12" } }), segment({ slug: tenantA.slug }));
    expect(res.status).toBe(401);
    expect(res.headers.get("x-request-id")).toBe("req-abcdef12");
    expect(await res.json()).toEqual({
      error: { code: "unauthorized", message: "Sign in to continue", request_id: "req-abcdef12" },
    });
  });

  it("answers 401 for a forged or garbled session cookie", async () => {
    const forged = `${sessionCookie().name}=${await encode({ token: { uid: owner }, secret: "x".repeat(40) })}`;
    for (const cookie of [forged, `${sessionCookie().name}=garbage`]) {
      const res = await probe(request("/x", { cookie }), segment({ slug: tenantA.slug }));
      expect(res.status).toBe(401);
    }
  });

  it("replaces an implausible incoming request id", async () => {
    const res = await probe(request("/x", { headers: { "x-request-id": "bad id <script>" } }), segment({ slug: tenantA.slug }));
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("runs the handler for a member with the permission, scoped to the tenant", async () => {
    const res = await probe(request("/x", { cookie: await cookieFor(owner) }), segment({ slug: tenantA.slug }));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body).toMatchObject({ tenant: tenantA.slug, role: "owner", visibleMembers: 2 });
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("answers 403 forbidden when the role lacks the permission (viewer, members.write)", async () => {
    const res = await probe(request("/x", { cookie: await cookieFor(viewer) }), segment({ slug: tenantA.slug }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
  });

  it("answers 404, not 403, to a non-member — the same as for a tenant that does not exist", async () => {
    const cookie = await cookieFor(outsider);
    const foreign = await probe(request("/x", { cookie }), segment({ slug: tenantA.slug }));
    const missing = await probe(request("/x", { cookie }), segment({ slug: `no-such-${stamp}` }));
    const malformed = await probe(request("/x", { cookie }), segment({ slug: "../Bad Slug" }));
    for (const res of [foreign, missing, malformed]) {
      expect(res.status).toBe(404);
      expect((await res.json()).error).toMatchObject({ code: "not_found", message: "Tenant not found" });
    }
  });

  it("answers 403 tenant_suspended to a member of a suspended tenant", async () => {
    const suspended = await createTenant(
      { name: "Suspended", slug: `route-s-${stamp}` },
      { ownerUserId: owner, actor: { type: "system", id: "test" } },
    );
    await db.tenant.update({ where: { id: suspended.id }, data: { status: "suspended", suspendedAt: new Date() } });
    const res = await probe(request("/x", { cookie: await cookieFor(owner) }), segment({ slug: suspended.slug }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("tenant_suspended");
  });

  it("refuses a cross-origin write before touching the tenant", async () => {
    const res = await probe(
      request("/x", { method: "POST", cookie: await cookieFor(owner), headers: { origin: "https://evil.example" } }),
      segment({ slug: tenantA.slug }),
    );
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toBe("Cross-origin request refused");
  });

  it("turns an unexpected error into a bare 500", async () => {
    const failing = withTenantRoute(
      async () => {
        throw new Error("connection string postgres://secret@db leaked?");
      },
      { permission: "tenant.read" },
    );
    const res = await failing(request("/x", { cookie: await cookieFor(owner) }), segment({ slug: tenantA.slug }));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret");
    expect(JSON.parse(text).error).toMatchObject({ code: "internal_error", message: "Internal error" });
  });

  // The real members routes, through the wrapper.
  describe("members API", () => {
    it("lists the tenant's members with nothing but the output fields", async () => {
      const { GET } = await import("@/app/api/v1/tenants/[slug]/members/route");
      const res = await GET(request("/x", { cookie: await cookieFor(viewer) }), segment({ slug: tenantA.slug }));
      expect(res.status).toBe(200);
      const { data } = await res.json();
      expect(data.map((m: { user: { id: string } }) => m.user.id).sort()).toEqual([owner, viewer].sort());
      expect(Object.keys(data[0]).sort()).toEqual(["createdAt", "id", "role", "user"]);
      expect(Object.keys(data[0].user).sort()).toEqual(["email", "id", "name"]);
    });

    it("reads one member by id, and answers 404 for another tenant's membership id", async () => {
      const { GET } = await import("@/app/api/v1/tenants/[slug]/members/[id]/route");
      const cookie = await cookieFor(owner);
      const ownMembers = await withTenant(tenantA.id, (tx) => tx.membership.findMany({ where: { tenantId: tenantA.id } }));
      const own = await GET(request("/x", { cookie }), segment({ slug: tenantA.slug, id: ownMembers[0]!.id }));
      expect(own.status).toBe(200);
      expect((await own.json()).data.id).toBe(ownMembers[0]!.id);

      const foreign = await GET(request("/x", { cookie }), segment({ slug: tenantA.slug, id: memberOfB }));
      expect(foreign.status).toBe(404);
      expect((await foreign.json()).error).toMatchObject({ code: "not_found", message: "Member not found" });

      const garbage = await GET(request("/x", { cookie }), segment({ slug: tenantA.slug, id: "not-a-uuid" }));
      expect(garbage.status).toBe(404);
    });

    it("answers 404 to a non-member asking for the tenant's members", async () => {
      const { GET } = await import("@/app/api/v1/tenants/[slug]/members/route");
      const res = await GET(request("/x", { cookie: await cookieFor(outsider) }), segment({ slug: tenantA.slug }));
      expect(res.status).toBe(404);
    });

    it("refuses the audit log to a viewer (403) and serves it to the owner", async () => {
      const { GET } = await import("@/app/api/v1/tenants/[slug]/audit/route");
      const denied = await GET(request("/x?limit=5", { cookie: await cookieFor(viewer) }), segment({ slug: tenantA.slug }));
      expect(denied.status).toBe(403);
      const ok = await GET(request("/x?limit=5", { cookie: await cookieFor(owner) }), segment({ slug: tenantA.slug }));
      expect(ok.status).toBe(200);
      expect((await ok.json()).data.entries.map((e: { action: string }) => e.action)).toContain("tenant.create");
    });
  });
});
