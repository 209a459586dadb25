import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { currentCode, enrolTotp, resetAttemptCounters } from "../../test/auth-fixtures";
import { apiRequest, createTestUser, segment, sessionCookieFor } from "../../test/management-api";
import { DecryptionError } from "../crypto/field-cipher";
import { getDb } from "../db/client";
import { closeSharedRedis } from "../redis/shared";
import { verifySecondFactor } from "./second-factor";
import { openTotpSecret } from "./totp-secret-store";

vi.mock("server-only", () => ({}));

const db = getDb();

const ROUTES = {
  mfa: () => import("@/app/api/v1/account/mfa/route"),
  "mfa/enrollment": () => import("@/app/api/v1/account/mfa/enrollment/route"),
  "mfa/enrollment/confirm": () => import("@/app/api/v1/account/mfa/enrollment/confirm/route"),
  "mfa/recovery-codes": () => import("@/app/api/v1/account/mfa/recovery-codes/route"),
};

async function route(path: keyof typeof ROUTES, method: string, cookie: string, body?: unknown) {
  const mod = (await ROUTES[path]()) as unknown as Record<string, (r: Request, s: unknown) => Promise<Response>>;
  return mod[method]!(apiRequest(`/api/v1/account/${path}`, { method, cookie, body }), segment({}));
}

describe("TOTP enrolment", () => {
  beforeEach(resetAttemptCounters);
  afterAll(async () => {
    await closeSharedRedis();
    await db.$disconnect();
  });

  it("starts with a QR code and the secret, confirms with a code, and answers ten recovery codes once", async () => {
    const user = await createTestUser("enrol");
    const other = await sessionCookieFor(user);
    const cookie = await sessionCookieFor(user);

    const started = await route("mfa/enrollment", "POST", cookie);
    expect(started.status).toBe(200);
    const { data } = await started.json();
    expect(data.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(data.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(data.otpauthUri).toContain(`secret=${data.secret}`);
    expect(started.headers.get("cache-control")).toBe("no-store");

    const wrong = await route("mfa/enrollment/confirm", "POST", cookie, { code: "000000" });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe("invalid_mfa_code");
    const malformed = await route("mfa/enrollment/confirm", "POST", cookie, { code: "12 34" });
    expect(malformed.status).toBe(400);

    const confirmed = await route("mfa/enrollment/confirm", "POST", cookie, { code: await currentCode(data.secret) });
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()).data;
    expect(recoveryCodes).toHaveLength(10);

    const status = await (await route("mfa", "GET", cookie)).json();
    expect(status.data).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // Changing MFA ends the user's other sessions, not this one.
    expect((await route("mfa", "GET", other)).status).toBe(401);

    const events = await db.platformAuditLog.findMany({ where: { actorId: user }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual(["mfa.enrollment_start:success", "mfa.enable:failure", "mfa.enable:success"]);
  });

  it("stores the secret encrypted and the recovery codes hashed", async () => {
    const user = await createTestUser("at-rest");
    const { secret, recoveryCodes } = await enrolTotp(user);
    const row = await db.userMfa.findUniqueOrThrow({ where: { userId: user }, select: { totpSecret: true, pendingTotpSecret: true } });
    expect(row.pendingTotpSecret).toBeNull();
    const stored = Buffer.from(row.totpSecret!);
    expect(stored.includes(Buffer.from(secret))).toBe(false);
    expect(stored.length).toBe(1 + 4 + 12 + 32 + 16);
    expect(await openTotpSecret(user, "totp_secret", stored)).toBe(secret);
    const hashes = await db.userRecoveryCode.findMany({ where: { userId: user }, select: { codeHash: true } });
    expect(hashes).toHaveLength(10);
    const all = Buffer.concat(hashes.map((h) => Buffer.from(h.codeHash)));
    for (const code of recoveryCodes) expect(all.includes(Buffer.from(code.replace("-", "")))).toBe(false);
    // The global omit keeps secrets out of ordinary reads.
    expect(Object.keys((await db.userMfa.findUniqueOrThrow({ where: { userId: user } })))).not.toContain("totpSecret");
  });

  it("refuses a secret copied into another user's row (AAD binds the row)", async () => {
    const alice = await createTestUser("alice");
    const mallory = await createTestUser("mallory");
    const { secret } = await enrolTotp(alice);
    await enrolTotp(mallory);
    const stolen = await db.userMfa.findUniqueOrThrow({ where: { userId: alice }, select: { totpSecret: true } });
    await db.userMfa.update({ where: { userId: mallory }, data: { totpSecret: stolen.totpSecret } });
    await expect(db.$transaction((tx) => verifySecondFactor(tx, mallory, { code: "000000" }))).rejects.toThrow(DecryptionError);
    await expect(currentCode(secret)).resolves.toMatch(/^\d{6}$/);
  });

  it("resetting and turning off MFA are step-up actions", async () => {
    const user = await createTestUser("reset");
    await enrolTotp(user);
    const cookie = await sessionCookieFor(user);
    for (const [path, method] of [["mfa/enrollment", "POST"], ["mfa", "DELETE"], ["mfa/recovery-codes", "POST"]] as const) {
      const res = await route(path, method, cookie);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect((await res.json()).error.code).toBe("step_up_required");
    }
    const fresh = await sessionCookieFor(user, { stepUpAt: new Date() });
    const codes = await route("mfa/recovery-codes", "POST", fresh);
    expect((await codes.json()).data.recoveryCodes).toHaveLength(10);
    const off = await route("mfa", "DELETE", fresh);
    expect(off.status).toBe(200);
    expect(await db.userRecoveryCode.count({ where: { userId: user } })).toBe(0);
    const status = await (await route("mfa", "GET", fresh)).json();
    expect(status.data.enabled).toBe(false);
    expect(await db.platformAuditLog.count({ where: { actorId: user, action: "mfa.disable" } })).toBe(1);
  });

  it("a reset keeps the old authenticator working until the new one is confirmed", async () => {
    const user = await createTestUser("reset-keep");
    const { secret } = await enrolTotp(user);
    const cookie = await sessionCookieFor(user, { stepUpAt: new Date() });
    const restarted = await (await route("mfa/enrollment", "POST", cookie)).json();
    expect(restarted.data.secret).not.toBe(secret);
    const check = await db.$transaction((tx) => verifySecondFactor(tx, user, { code: "000000" }));
    expect(check).toEqual({ ok: false, reason: "invalid" });
    const ok = await db.$transaction(async (tx) => verifySecondFactor(tx, user, { code: await currentCode(secret) }));
    expect(ok).toEqual({ ok: true, method: "totp" });
  });
});
