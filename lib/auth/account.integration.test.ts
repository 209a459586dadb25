import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { enrolTotp, resetAttemptCounters } from "../../test/auth-fixtures";
import { apiRequest, createTestUser, segment, sessionCookieFor, stamp } from "../../test/management-api";
import { getDb } from "../db/client";
import { closeSharedRedis } from "../redis/shared";
import { hashPassword } from "./password";
import { sessionCookie } from "./session-cookie";

vi.mock("server-only", () => ({}));

const db = getDb();

async function signUp(body: unknown, ip = "192.0.2.1") {
  const { POST } = await import("@/app/api/auth/sign-up/route");
  return POST(apiRequest("/api/auth/sign-up", { body, headers: { "x-forwarded-for": ip } }));
}

async function tenantsOf(cookie: string) {
  const { GET } = await import("@/app/api/v1/tenants/route");
  return GET(apiRequest("/api/v1/tenants", { cookie }), segment({}));
}

describe("sign-up", () => {
  beforeEach(resetAttemptCounters);
  afterAll(async () => {
    await closeSharedRedis();
    await db.$disconnect();
  });

  it("creates an account with an argon2id hash, audited in the same transaction", async () => {
    const email = `new-${stamp()}@example.test`;
    const res = await signUp({ name: "Ada", email: email.toUpperCase(), password: "tangerine-orbit-47-glacier" });
    expect(res.status).toBe(201);
    const { data } = await res.json();
    expect(Object.keys(data).sort()).toEqual(["email", "id", "name"]);
    expect(data.email).toBe(email);
    const user = await db.user.findUniqueOrThrow({ where: { id: data.id }, omit: { passwordHash: false } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await db.platformAuditLog.count({ where: { actorId: data.id, action: "auth.sign_up" } })).toBe(1);
  });

  it.each([
    ["short", "Use at least 12 characters"],
    ["password1234", "too common"],
    ["Summer2024!!", "too common"],
    ["aaaaaaaaaaaaaaaa", "repeated characters"],
    ["grace.hopper-1906!", "email address"],
  ])("refuses the weak password %j with a message, creating nothing", async (password, message) => {
    const email = `grace.hopper@${stamp()}.example.test`;
    const res = await signUp({ name: "G. H.", email, password });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("validation_failed");
    expect(error.fields.password).toContain(message);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses malformed input with field errors (400, never 500)", async () => {
    for (const body of [{}, { name: "", email: "not-an-email", password: 5 }, "[]"]) {
      const res = await signUp(body);
      expect(res.status).toBe(400);
    }
    const fields = (await (await signUp({ name: "", email: "x", password: "" })).json()).error.fields;
    expect(Object.keys(fields).sort()).toEqual(["email", "name", "password"]);
  });

  it("answers 409 for a taken email and slows down anyone probing for accounts", async () => {
    const email = `taken-${stamp()}@example.test`;
    expect((await signUp({ name: "A", email, password: "tangerine-orbit-47-glacier" }, "192.0.2.40")).status).toBe(201);
    for (let i = 0; i < 5; i++) {
      const dup = await signUp({ name: "B", email, password: "tangerine-orbit-47-glacier" }, "192.0.2.40");
      expect(dup.status).toBe(409);
      expect((await dup.json()).error.fields.email).toMatch(/already exists/);
    }
    const limited = await signUp({ name: "C", email: `other-${stamp()}@example.test`, password: "tangerine-orbit-47-glacier" }, "192.0.2.40");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
  });
});

describe("sessions and password change", () => {
  beforeEach(resetAttemptCounters);

  it("a revoked or expired session is signed out at once", async () => {
    const user = await createTestUser("revoked");
    const cookie = await sessionCookieFor(user);
    expect((await tenantsOf(cookie)).status).toBe(200);
    await db.userSession.updateMany({ where: { userId: user }, data: { revokedAt: new Date() } });
    expect((await tenantsOf(cookie)).status).toBe(401);
    const expired = await sessionCookieFor(user);
    await db.userSession.updateMany({ where: { userId: user, revokedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await tenantsOf(expired)).status).toBe(401);
  });

  it("a token naming another user's session is refused", async () => {
    const a = await createTestUser("a");
    const b = await createTestUser("b");
    const cookieA = await sessionCookieFor(a);
    const sessionA = await db.userSession.findFirstOrThrow({ where: { userId: a } });
    const { encode } = await import("next-auth/jwt");
    const { getConfig } = await import("../config/env");
    const forged = await encode({ token: { sub: b, uid: b, sid: sessionA.id }, secret: getConfig().SESSION_SECRET });
    expect((await tenantsOf(cookieA)).status).toBe(200);
    expect((await tenantsOf(`${sessionCookie().name}=${forged}`)).status).toBe(401);
  });

  it("changing the password needs the current one, ends the other sessions and rotates this one", async () => {
    const user = (await db.user.create({ data: { email: `pw-${stamp()}@example.test`, name: "P", passwordHash: await hashPassword("correct horse battery") } })).id;
    const other = await sessionCookieFor(user);
    const cookie = await sessionCookieFor(user);
    const { POST } = await import("@/app/api/v1/account/password/route");
    const change = (body: unknown) => POST(apiRequest("/api/v1/account/password", { cookie, body }), segment({}));

    const wrong = await change({ currentPassword: "nope", newPassword: "tangerine-orbit-47-glacier" });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.fields.currentPassword).toBe("This is not your current password");
    const weak = await change({ currentPassword: "correct horse battery", newPassword: "password123!" });
    expect((await weak.json()).error.fields.newPassword).toMatch(/too common/);

    const ok = await change({ currentPassword: "correct horse battery", newPassword: "tangerine-orbit-47-glacier" });
    expect(ok.status).toBe(200);
    const fresh = ok.headers.getSetCookie().find((c) => c.startsWith(`${sessionCookie().name}=`))!.split(";")[0]!;
    expect((await tenantsOf(fresh)).status).toBe(200);
    expect((await tenantsOf(cookie)).status).toBe(401);
    expect((await tenantsOf(other)).status).toBe(401);
    expect(await db.platformAuditLog.count({ where: { actorId: user, action: "auth.password_change", outcome: "success" } })).toBe(1);
  });

  it("signing out other sessions keeps this one", async () => {
    const user = await createTestUser("others");
    const other = await sessionCookieFor(user);
    const cookie = await sessionCookieFor(user);
    const { GET, DELETE } = await import("@/app/api/v1/account/sessions/route");
    const list = await (await GET(apiRequest("/x", { cookie }), segment({}))).json();
    expect(list.data).toHaveLength(2);
    expect(list.data.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const res = await DELETE(apiRequest("/x", { method: "DELETE", cookie }), segment({}));
    expect((await res.json()).data).toEqual({ ended: 1 });
    expect((await tenantsOf(cookie)).status).toBe(200);
    expect((await tenantsOf(other)).status).toBe(401);
  });

  it("an OIDC-only account sets a first password only after a step-up", async () => {
    const user = await createTestUser("sso-only");
    await enrolTotp(user);
    const { POST } = await import("@/app/api/v1/account/password/route");
    const plain = await POST(apiRequest("/x", { cookie: await sessionCookieFor(user), body: { newPassword: "tangerine-orbit-47-glacier" } }), segment({}));
    expect((await plain.json()).error.code).toBe("step_up_required");
    const stepped = await POST(
      apiRequest("/x", { cookie: await sessionCookieFor(user, { stepUpAt: new Date() }), body: { newPassword: "tangerine-orbit-47-glacier" } }),
      segment({}),
    );
    expect(stepped.status).toBe(200);
  });
});
