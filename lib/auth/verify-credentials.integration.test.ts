import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { currentCode, enrolTotp, resetAttemptCounters } from "../../test/auth-fixtures";
import { getConfig } from "../config/env";
import { getDb } from "../db/client";
import { closeSharedRedis } from "../redis/shared";
import type { AuthRequestContext } from "./auth-request-context";
import { hashPassword } from "./password";
import { verifyCredentials } from "./verify-credentials";

vi.mock("server-only", () => ({}));

const stamp = Date.now().toString(36);
const email = `signer-${stamp}@example.test`;
const db = getDb();
const meta = (ip = "192.0.2.10"): AuthRequestContext => ({ ip, userAgent: "vitest", requestId: `req-${stamp}`, cookie: () => undefined });

describe("verifyCredentials", () => {
  let userId: string;

  beforeAll(async () => {
    const user = await db.user.create({
      data: { email, name: "Signer", passwordHash: await hashPassword("correct horse battery") },
    });
    userId = user.id;
  });
  beforeEach(resetAttemptCounters);
  afterAll(async () => {
    await closeSharedRedis();
    await db.$disconnect();
  });

  it("returns the user, without the hash, for the right password (email case-insensitive)", async () => {
    const user = await verifyCredentials({ email: `  ${email.toUpperCase()} `, password: "correct horse battery" }, meta());
    expect(user).toEqual({ id: userId, email, name: "Signer", isOperator: false, authMethod: "password", mfaVerifiedAt: null });
  });

  it.each([
    ["a wrong password", { email, password: "wrong" }],
    ["an unknown email", { email: `nobody-${stamp}@example.test`, password: "correct horse battery" }],
    ["a missing password", { email }],
    ["no input at all", undefined],
  ])("returns null for %s, and audits the failure", async (_label, input) => {
    const before = await db.platformAuditLog.count({ where: { action: "auth.sign_in", outcome: "failure" } });
    expect(await verifyCredentials(input, meta())).toBeNull();
    expect(await db.platformAuditLog.count({ where: { action: "auth.sign_in", outcome: "failure" } })).toBe(before + 1);
  });

  it("returns null for an account without a password (e.g. single sign-on only)", async () => {
    const sso = await db.user.create({ data: { email: `sso-${stamp}@example.test`, name: "SSO" } });
    expect(await verifyCredentials({ email: sso.email, password: "anything" }, meta())).toBeNull();
  });

  it("locks out an email after five failures, known or unknown alike, and the IP too", async () => {
    for (const target of [email, `ghost-${stamp}@example.test`]) {
      await resetAttemptCounters();
      for (let i = 0; i < 5; i++) expect(await verifyCredentials({ email: target, password: "wrong" }, meta(`198.51.100.${i}`))).toBeNull();
      // Even the right password is refused now, with the same error for both emails.
      await expect(verifyCredentials({ email: target, password: "correct horse battery" }, meta("198.51.100.99"))).rejects.toThrow("RateLimited");
    }
    await resetAttemptCounters();
    for (let i = 0; i < 5; i++) await verifyCredentials({ email: `spray-${i}-${stamp}@example.test`, password: "x" }, meta("203.0.113.7"));
    await expect(verifyCredentials({ email, password: "correct horse battery" }, meta("203.0.113.7"))).rejects.toThrow("RateLimited");
    expect(await verifyCredentials({ email, password: "correct horse battery" }, meta("203.0.113.8"))).not.toBeNull();
  });

  describe("with MFA enrolled", () => {
    let mfaUser: string;
    let secret: string;
    let recoveryCodes: string[];
    const mfaEmail = `mfa-${stamp}@example.test`;

    beforeAll(async () => {
      mfaUser = (await db.user.create({ data: { email: mfaEmail, name: "M", passwordHash: await hashPassword("correct horse battery") } })).id;
      ({ secret, recoveryCodes } = await enrolTotp(mfaUser, mfaEmail));
    });

    it("asks for the code after the right password only", async () => {
      await expect(verifyCredentials({ email: mfaEmail, password: "correct horse battery" }, meta())).rejects.toThrow("MfaRequired");
      expect(await verifyCredentials({ email: mfaEmail, password: "wrong", code: "123456" }, meta())).toBeNull();
    });

    it("signs in with the code (counting as a step-up), refuses it replayed, and takes a recovery code once", async () => {
      const code = await currentCode(secret);
      const user = await verifyCredentials({ email: mfaEmail, password: "correct horse battery", code }, meta());
      expect(user?.mfaVerifiedAt).toBeInstanceOf(Date);
      await expect(verifyCredentials({ email: mfaEmail, password: "correct horse battery", code }, meta())).rejects.toThrow("MfaReused");
      await expect(verifyCredentials({ email: mfaEmail, password: "correct horse battery", code: "000000" }, meta())).rejects.toThrow("MfaInvalid");
      const byRecovery = await verifyCredentials({ email: mfaEmail, password: "correct horse battery", recoveryCode: recoveryCodes[0] }, meta());
      expect(byRecovery?.id).toBe(mfaUser);
      await expect(
        verifyCredentials({ email: mfaEmail, password: "correct horse battery", recoveryCode: recoveryCodes[0] }, meta()),
      ).rejects.toThrow("MfaReused");
    });
  });
});

describe("POST /api/auth/callback/credentials when locked out", () => {
  beforeEach(resetAttemptCounters);

  it("answers 429 with Retry-After before next-auth runs, the same for any email", async () => {
    const { POST } = await import("@/app/api/auth/[...nextauth]/route");
    for (let i = 0; i < 5; i++) await verifyCredentials({ email: `locked-${stamp}@example.test`, password: "nope" }, meta(`192.0.2.${50 + i}`));
    const res = await POST(
      new NextRequest(`${getConfig().PUBLIC_URL}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "192.0.2.99" },
        body: new URLSearchParams({ email: `LOCKED-${stamp}@example.test`, password: "whatever", json: "true" }),
      }),
      { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) },
    );
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    const body = await res.json();
    expect(body.url).toMatch(/\/login\?error=RateLimited$/);
    expect(body.error).toMatchObject({ code: "rate_limited", message: "Too many attempts, try again in 15 minutes" });
  });
});
