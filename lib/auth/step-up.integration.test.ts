import { NextResponse } from "next/server";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { currentCode, enrolTotp, forgetLastTotpStep, resetAttemptCounters } from "../../test/auth-fixtures";
import { apiRequest, createTestUser, segment, sessionCookieFor } from "../../test/management-api";
import { getDb } from "../db/client";
import { closeSharedRedis } from "../redis/shared";
import { sessionCookie } from "./session-cookie";
import { withUserRoute } from "./user-route";

vi.mock("server-only", () => ({}));

const db = getDb();
const sensitive = withUserRoute(async ({ session }) => NextResponse.json({ data: { session: session.id } }), { stepUp: true });
const call = (cookie: string) => sensitive(apiRequest("/api/v1/sensitive", { method: "POST", cookie, body: {} }), segment({}));

async function stepUpWith(cookie: string, body: unknown, ip = "127.0.0.1") {
  const { POST } = await import("@/app/api/v1/account/step-up/route");
  return POST(apiRequest("/api/v1/account/step-up", { cookie, body, headers: { "x-forwarded-for": ip } }), segment({}));
}

/** The session cookie a response sets, as a request cookie header. */
function cookieFrom(res: Response): string {
  const name = sessionCookie().name;
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!set) throw new Error("no session cookie set");
  return set.split(";")[0]!;
}

describe("step-up", () => {
  beforeEach(resetAttemptCounters);
  afterAll(async () => {
    await closeSharedRedis();
    await db.$disconnect();
  });

  it("refuses a sensitive action without MFA enrolled: 403 mfa_enrollment_required", async () => {
    const user = await createTestUser("no-mfa");
    const res = await call(await sessionCookieFor(user));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("mfa_enrollment_required");
  });

  it("asks an enrolled session for a step-up (401), then lets the action through on a new session id", async () => {
    const user = await createTestUser("stepper");
    const { secret } = await enrolTotp(user);
    const cookie = await sessionCookieFor(user);
    const refused = await call(cookie);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("step_up_required");

    const verified = await stepUpWith(cookie, { code: await currentCode(secret) });
    expect(verified.status).toBe(200);
    const { data } = await verified.json();
    expect(new Date(data.stepUpUntil).getTime()).toBeGreaterThan(Date.now() + 590_000);
    const setCookie = verified.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);

    const fresh = cookieFrom(verified);
    expect(fresh).not.toBe(cookie);
    const allowed = await call(fresh);
    expect(allowed.status).toBe(200);
    // The identifier changed; the one from before the step-up is dead.
    expect((await call(cookie)).status).toBe(401);

    const events = await db.platformAuditLog.findMany({ where: { actorId: user, action: "auth.step_up" } });
    expect(events.map((e) => e.outcome)).toEqual(["success"]);
    expect(events[0]!.metadata).toMatchObject({ method: "totp" });
  });

  it("refuses a code accepted once for the rest of its window, and older codes too", async () => {
    const user = await createTestUser("replay");
    const { secret } = await enrolTotp(user);
    const code = await currentCode(secret);
    const first = await stepUpWith(await sessionCookieFor(user), { code });
    expect(first.status).toBe(200);

    for (const again of [code, await currentCode(secret, -30)]) {
      const replay = await stepUpWith(await sessionCookieFor(user), { code: again });
      expect(replay.status).toBe(401);
      const { error } = await replay.json();
      expect(error.code).toBe("invalid_mfa_code");
    }
    const failures = await db.platformAuditLog.findMany({ where: { actorId: user, action: "auth.step_up", outcome: "failure" } });
    expect(failures.map((f) => f.reason)).toEqual(["reused", "reused"]);
  });

  it("accepts each recovery code once", async () => {
    const user = await createTestUser("recovery");
    const { recoveryCodes } = await enrolTotp(user);
    const ok = await stepUpWith(await sessionCookieFor(user), { recoveryCode: recoveryCodes[4]!.toUpperCase() });
    expect(ok.status).toBe(200);
    const again = await stepUpWith(await sessionCookieFor(user), { recoveryCode: recoveryCodes[4] });
    expect(again.status).toBe(401);
    expect((await again.json()).error.message).toMatch(/already used/);
    expect(await db.userRecoveryCode.count({ where: { userId: user, usedAt: null } })).toBe(9);
  });

  it.each([
    [{ code: "12345" }, "code"],
    [{ code: "abcdef" }, "code"],
    [{ code: 123456 }, "code"],
    [{ recoveryCode: "not a recovery code" }, "recoveryCode"],
    [{}, "code"],
    [{ code: "123456", recoveryCode: "abcde-12345" }, "code"],
  ])("answers 400 validation_failed (never 500) to the malformed %j", async (body, field) => {
    const user = await createTestUser("malformed");
    await enrolTotp(user);
    const res = await stepUpWith(await sessionCookieFor(user), body);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.fields)).toContain(field);
  });

  it("expires: a step-up older than STEP_UP_WINDOW_SECONDS is asked for again", async () => {
    const user = await createTestUser("stale");
    await enrolTotp(user);
    const stale = await sessionCookieFor(user, { stepUpAt: new Date(Date.now() - 601_000) });
    expect((await call(stale)).status).toBe(401);
    const recent = await sessionCookieFor(user, { stepUpAt: new Date(Date.now() - 60_000) });
    expect((await call(recent)).status).toBe(200);
  });

  it("locks a user out after five wrong codes in 15 minutes: 429 with Retry-After, even for a right code", async () => {
    const user = await createTestUser("guesser");
    const { secret } = await enrolTotp(user);
    const cookie = await sessionCookieFor(user);
    for (let i = 0; i < 5; i++) {
      const wrong = await stepUpWith(cookie, { code: "000000" }, `10.9.0.${i}`);
      expect(wrong.status).toBe(401);
    }
    const locked = await stepUpWith(cookie, { code: await currentCode(secret) }, "10.9.1.1");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
    expect((await locked.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/Too many attempts, try again in 1[45] minutes/) });
    await forgetLastTotpStep(user);
  });

  it("locks an IP out after five wrong codes, across users", async () => {
    const ip = "10.77.0.1";
    for (let i = 0; i < 5; i++) {
      const user = await createTestUser(`ip-${i}`);
      await enrolTotp(user);
      expect((await stepUpWith(await sessionCookieFor(user), { code: "000000" }, ip)).status).toBe(401);
    }
    const other = await createTestUser("ip-victim");
    const { secret } = await enrolTotp(other);
    expect((await stepUpWith(await sessionCookieFor(other), { code: await currentCode(secret) }, ip)).status).toBe(429);
    expect((await stepUpWith(await sessionCookieFor(other), { code: await currentCode(secret) }, "10.77.0.2")).status).toBe(200);
  });
});
