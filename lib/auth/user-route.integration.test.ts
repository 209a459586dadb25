import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { sessionCookieFor } from "../../test/management-api";

vi.mock("server-only", () => ({}));

const stamp = Date.now().toString(36);
const db = getDb();
const noParams = { params: Promise.resolve({}) };

/** A real session: a user_sessions row and its signed JWT (sessions are checked server-side). */
const cookieFor = (userId: string) => sessionCookieFor(userId);

function post(body: string, headers: Record<string, string>) {
  return new NextRequest("http://localhost:3100/api/v1/tenants", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

describe("/api/v1/tenants (withUserRoute)", () => {
  let userId: string;
  let cookie: string;

  beforeAll(async () => {
    userId = (await db.user.create({ data: { email: `creator-${stamp}@example.test`, name: "Creator" } })).id;
    cookie = await cookieFor(userId);
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it("creates a tenant owned by the signed-in user, audited with the request id", async () => {
    const { POST } = await import("@/app/api/v1/tenants/route");
    const slug = `api-${stamp}`;
    const res = await POST(post(JSON.stringify({ name: "Api Co", slug }), { cookie, "x-request-id": `req-${stamp}` }), noParams);
    expect(res.status).toBe(201);
    const { data } = await res.json();
    expect(Object.keys(data).sort()).toEqual(["createdAt", "id", "name", "slug", "status"]);
    expect(data).toMatchObject({ name: "Api Co", slug, status: "active" });
    const [membership, audit] = await withTenant(data.id, (tx) =>
      Promise.all([tx.membership.findFirst({ where: { userId } }), tx.auditLog.findFirst({ where: { action: "tenant.create" } })]),
    );
    expect(membership?.role).toBe("owner");
    expect(audit).toMatchObject({ actorType: "user", actorId: userId, requestId: `req-${stamp}` });
  });

  it.each([
    [{ name: "" }, { name: "Name is required" }],
    [{ name: "x".repeat(101) }, { name: "Name must be at most 100 characters" }],
    [{ name: "Ok", slug: "Bad Slug!" }, { slug: "Slug may contain lowercase letters, digits and inner hyphens only" }],
  ])("answers 400 validation_failed with field errors for %j", async (input, fields) => {
    const { POST } = await import("@/app/api/v1/tenants/route");
    const res = await POST(post(JSON.stringify(input), { cookie }), noParams);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "validation_failed", fields });
  });

  it("answers 409 conflict with a slug field error for a taken slug", async () => {
    const { POST } = await import("@/app/api/v1/tenants/route");
    const slug = `dup-${stamp}`;
    expect((await POST(post(JSON.stringify({ name: "One", slug }), { cookie }), noParams)).status).toBe(201);
    const res = await POST(post(JSON.stringify({ name: "Two", slug }), { cookie }), noParams);
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: "conflict", fields: { slug: `"${slug}" is already taken` } });
  });

  it("refuses bodies that are not JSON (415) or not parseable (400)", async () => {
    const { POST } = await import("@/app/api/v1/tenants/route");
    const form = await POST(post("name=x", { cookie, "content-type": "application/x-www-form-urlencoded" }), noParams);
    expect(form.status).toBe(415);
    const broken = await POST(post("{", { cookie }), noParams);
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("bad_request");
  });

  it("lists only the signed-in user's tenants, with the role", async () => {
    const { GET } = await import("@/app/api/v1/tenants/route");
    const res = await GET(new NextRequest("http://localhost:3100/api/v1/tenants", { headers: { cookie } }), noParams);
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data.length).toBeGreaterThanOrEqual(2);
    for (const t of data) expect(t).toMatchObject({ role: "owner" });
    expect(data.map((t: { slug: string }) => t.slug)).toContain(`api-${stamp}`);

    const stranger = (await db.user.create({ data: { email: `stranger-${stamp}@example.test`, name: "S" } })).id;
    const none = await GET(new NextRequest("http://localhost:3100/api/v1/tenants", { headers: { cookie: await cookieFor(stranger) } }), noParams);
    expect((await none.json()).data).toEqual([]);
  });

  it("answers 401 to a session of a user that no longer exists", async () => {
    const { GET } = await import("@/app/api/v1/tenants/route");
    const gone = (await db.user.create({ data: { email: `gone-${stamp}@example.test`, name: "Gone" } })).id;
    const goneCookie = await cookieFor(gone);
    await db.user.delete({ where: { id: gone } });
    const res = await GET(new NextRequest("http://localhost:3100/api/v1/tenants", { headers: { cookie: goneCookie } }), noParams);
    expect(res.status).toBe(401);
  });
});
