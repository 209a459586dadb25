import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiRequest, createTestUser, segment, sessionCookieFor } from "../../test/management-api";
import { getDb } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { closeSharedRedis } from "../redis/shared";
import { createTenant } from "../tenants/create-tenant";

vi.mock("server-only", () => ({}));

const db = getDb();
const now = () => new Date();
type Handler = (r: Request, s: unknown) => Promise<Response>;

async function memberRoute() {
  return (await import("@/app/api/v1/tenants/[slug]/members/[id]/route")) as unknown as Record<"PATCH" | "DELETE", Handler>;
}
async function invitationsRoute() {
  return (await import("@/app/api/v1/tenants/[slug]/invitations/route")) as unknown as Record<"GET" | "POST", Handler>;
}
async function accept(cookie: string, token: string) {
  const { POST } = await import("@/app/api/v1/account/invitations/route");
  return POST(apiRequest("/api/v1/account/invitations", { cookie, body: { token } }), segment({}));
}
const tokenOf = (url: string) => url.split("/invite/")[1]!;
const emailOf = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).email;

describe("members and invitations", () => {
  let owner: string;
  let admin: string;
  let tenant: { id: string; slug: string };
  let ownerCookie: string;
  let adminCookie: string;
  const membershipOf = (userId: string) => withTenant(tenant.id, (tx) => tx.membership.findFirstOrThrow({ where: { userId } }));

  beforeAll(async () => {
    owner = await createTestUser("owner", { mfa: true });
    admin = await createTestUser("admin", { mfa: true });
    tenant = await createTenant({ name: "Members Co", slug: `members-${Date.now().toString(36)}` }, { ownerUserId: owner, actor: { type: "system", id: "test" } });
    await withTenant(tenant.id, (tx) => tx.membership.create({ data: { tenantId: tenant.id, userId: admin, role: "admin" } }));
    ownerCookie = await sessionCookieFor(owner, { stepUpAt: now() });
    adminCookie = await sessionCookieFor(admin, { stepUpAt: now() });
  });
  afterAll(async () => {
    await closeSharedRedis();
    await db.$disconnect();
  });

  async function patchRole(cookie: string, membershipId: string, role: unknown) {
    const { PATCH } = await memberRoute();
    return PATCH(apiRequest("/x", { method: "PATCH", cookie, body: { role } }), segment({ slug: tenant.slug, id: membershipId }));
  }

  it("refuses to demote or remove the last owner (409) and writes nothing", async () => {
    const own = await membershipOf(owner);
    const demote = await patchRole(ownerCookie, own.id, "admin");
    expect(demote.status).toBe(409);
    expect((await demote.json()).error.message).toBe("You cannot demote the last owner. Make another member an owner first.");
    const { DELETE } = await memberRoute();
    const remove = await DELETE(apiRequest("/x", { method: "DELETE", cookie: ownerCookie }), segment({ slug: tenant.slug, id: own.id }));
    expect(remove.status).toBe(409);
    expect((await membershipOf(owner)).role).toBe("owner");
    const audit = await withTenant(tenant.id, (tx) => tx.auditLog.count({ where: { action: { in: ["member.role_change", "member.remove"] } } }));
    expect(audit).toBe(0);
  });

  it("lets only owners grant or take the owner role", async () => {
    const adminMembership = await membershipOf(admin);
    const self = await patchRole(adminCookie, adminMembership.id, "owner");
    expect(self.status).toBe(403);
    const onOwner = await patchRole(adminCookie, (await membershipOf(owner)).id, "viewer");
    expect(onOwner.status).toBe(403);
  });

  it("changes roles with step-up and audits from → to; with two owners one may step down", async () => {
    const refused = await patchRole(await sessionCookieFor(owner), (await membershipOf(admin)).id, "owner");
    expect((await refused.json()).error.code).toBe("step_up_required");

    const promoted = await patchRole(ownerCookie, (await membershipOf(admin)).id, "owner");
    expect(promoted.status).toBe(200);
    expect((await promoted.json()).data).toMatchObject({ role: "owner", user: { id: admin } });
    const stepDown = await patchRole(ownerCookie, (await membershipOf(owner)).id, "admin");
    expect(stepDown.status).toBe(200);
    const entries = await withTenant(tenant.id, (tx) => tx.auditLog.findMany({ where: { action: "member.role_change" }, orderBy: { createdAt: "asc" } }));
    expect(entries.map((e) => e.metadata)).toEqual([
      expect.objectContaining({ from: "admin", to: "owner" }),
      expect.objectContaining({ from: "owner", to: "admin" }),
    ]);
    expect(entries[0]).toMatchObject({ actorType: "user", actorId: owner });
    // Restore: `admin` is now the only owner; make `owner` an owner again.
    const back = await patchRole(adminCookie, (await membershipOf(owner)).id, "owner");
    expect(back.status).toBe(200);
  });

  it("refuses a bad role (400) and an unknown or foreign member (404)", async () => {
    expect((await patchRole(ownerCookie, (await membershipOf(admin)).id, "superuser")).status).toBe(400);
    expect((await patchRole(ownerCookie, "00000000-0000-4000-8000-000000000000", "viewer")).status).toBe(404);
    const other = await createTenant({ name: "Other", slug: `members-o-${Date.now().toString(36)}` }, { ownerUserId: admin, actor: { type: "system", id: "test" } });
    const foreign = await withTenant(other.id, (tx) => tx.membership.findFirstOrThrow({ where: { tenantId: other.id } }));
    expect((await patchRole(ownerCookie, foreign.id, "viewer")).status).toBe(404);
  });

  describe("invitations", () => {
    async function invite(cookie: string, email: string, role = "developer") {
      const { POST } = await invitationsRoute();
      return POST(apiRequest("/x", { cookie, body: { email, role } }), segment({ slug: tenant.slug }));
    }

    it("invites by link (token shown once, stored hashed), accepted once by the invited account", async () => {
      const invitee = await createTestUser("invitee");
      const email = await emailOf(invitee);
      const res = await invite(ownerCookie, email.toUpperCase(), "viewer");
      expect(res.status).toBe(201);
      const { data } = await res.json();
      expect(data).toMatchObject({ email, role: "viewer", status: "pending" });
      expect(data.url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
      expect(Object.keys(data)).not.toContain("tokenHash");
      const stored = await withTenant(tenant.id, (tx) => tx.invitation.findUniqueOrThrow({ where: { id: data.id }, omit: { tokenHash: false } }));
      expect(Buffer.from(stored.tokenHash).toString("base64url")).not.toBe(tokenOf(data.url));

      const { GET } = await invitationsRoute();
      const listed = await (await GET(apiRequest("/x", { cookie: ownerCookie }), segment({ slug: tenant.slug }))).json();
      expect(listed.data.map((i: { id: string }) => i.id)).toContain(data.id);

      const cookie = await sessionCookieFor(invitee);
      const ok = await accept(cookie, tokenOf(data.url));
      expect(ok.status).toBe(200);
      expect((await ok.json()).data).toEqual({ tenant: { slug: tenant.slug, name: "Members Co" }, role: "viewer" });
      expect((await membershipOf(invitee)).role).toBe("viewer");

      const reused = await accept(cookie, tokenOf(data.url));
      expect(reused.status).toBe(410);
      expect((await reused.json()).error).toMatchObject({ code: "invitation_used", message: expect.stringMatching(/already been used/) });
      const actions = await withTenant(tenant.id, (tx) => tx.auditLog.findMany({ where: { targetId: { in: [data.id] } }, select: { action: true } }));
      expect(actions.map((a) => a.action).sort()).toEqual(["invitation.accept", "invitation.create"]);
    });

    it("says so for an expired or revoked invitation, and for a link of another email; nothing is half-written", async () => {
      const invitee = await createTestUser("late");
      const email = await emailOf(invitee);
      const cookie = await sessionCookieFor(invitee);

      const expired = (await (await invite(ownerCookie, email)).json()).data;
      await withTenant(tenant.id, (tx) => tx.invitation.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } }));
      const late = await accept(cookie, tokenOf(expired.url));
      expect(late.status).toBe(410);
      expect((await late.json()).error).toMatchObject({ code: "invitation_expired", message: expect.stringMatching(/expired/) });

      const revoked = (await (await invite(ownerCookie, email)).json()).data;
      const { DELETE } = (await import("@/app/api/v1/tenants/[slug]/invitations/[id]/route")) as unknown as Record<"DELETE", Handler>;
      expect((await DELETE(apiRequest("/x", { method: "DELETE", cookie: adminCookie }), segment({ slug: tenant.slug, id: revoked.id }))).status).toBe(204);
      const gone = await accept(cookie, tokenOf(revoked.url));
      expect((await gone.json()).error.code).toBe("invitation_revoked");

      const forOther = (await (await invite(ownerCookie, `someone-else-${Date.now()}@example.test`)).json()).data;
      const mismatch = await accept(cookie, tokenOf(forOther.url));
      expect(mismatch.status).toBe(403);
      expect((await mismatch.json()).error.code).toBe("invitation_email_mismatch");

      expect((await accept(cookie, "x".repeat(43))).status).toBe(404);
      expect((await accept(cookie, "../../etc")).status).toBe(404);
      expect(await withTenant(tenant.id, (tx) => tx.membership.count({ where: { userId: invitee } }))).toBe(0);
      const stillOpen = await withTenant(tenant.id, (tx) => tx.invitation.findUniqueOrThrow({ where: { id: forOther.id } }));
      expect(stillOpen.acceptedAt).toBeNull();
    });

    it("refuses to invite a member, a pending email twice, or an owner unless the inviter is an owner", async () => {
      expect((await invite(ownerCookie, await emailOf(admin))).status).toBe(409);
      const email = `twice-${Date.now()}@example.test`;
      expect((await invite(ownerCookie, email)).status).toBe(201);
      const again = await invite(ownerCookie, email);
      expect(again.status).toBe(409);
      expect((await again.json()).error.fields.email).toMatch(/pending invitation/);
      const developer = await createTestUser("dev", { mfa: true });
      await withTenant(tenant.id, (tx) => tx.membership.create({ data: { tenantId: tenant.id, userId: developer, role: "developer" } }));
      expect((await invite(await sessionCookieFor(developer, { stepUpAt: now() }), `x-${Date.now()}@example.test`)).status).toBe(403);
      const newAdmin = await createTestUser("admin2", { mfa: true });
      await withTenant(tenant.id, (tx) => tx.membership.create({ data: { tenantId: tenant.id, userId: newAdmin, role: "admin" } }));
      const asAdmin = await invite(await sessionCookieFor(newAdmin, { stepUpAt: now() }), `o-${Date.now()}@example.test`, "owner");
      expect(asAdmin.status).toBe(403);
      expect((await invite(await sessionCookieFor(newAdmin), `p-${Date.now()}@example.test`)).status).toBe(401);
    });

    it("a member already in the tenant keeps the invitation unused", async () => {
      const person = await createTestUser("already");
      const email = await emailOf(person);
      const { data } = await (await invite(ownerCookie, email)).json();
      await withTenant(tenant.id, (tx) => tx.membership.create({ data: { tenantId: tenant.id, userId: person, role: "viewer" } }));
      const res = await accept(await sessionCookieFor(person), tokenOf(data.url));
      expect(res.status).toBe(409);
      const row = await withTenant(tenant.id, (tx) => tx.invitation.findUniqueOrThrow({ where: { id: data.id } }));
      expect(row.acceptedAt).toBeNull();
    });
  });
});
