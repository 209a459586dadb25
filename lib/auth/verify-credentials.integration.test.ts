import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/client";
import { hashPassword } from "./password";
import { verifyCredentials } from "./verify-credentials";

vi.mock("server-only", () => ({}));

const stamp = Date.now().toString(36);
const email = `signer-${stamp}@example.test`;
const db = getDb();

describe("verifyCredentials", () => {
  let userId: string;

  beforeAll(async () => {
    const user = await db.user.create({
      data: { email, name: "Signer", passwordHash: await hashPassword("correct horse battery") },
    });
    userId = user.id;
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it("returns the user, without the hash, for the right password (email case-insensitive)", async () => {
    const user = await verifyCredentials({ email: `  ${email.toUpperCase()} `, password: "correct horse battery" });
    expect(user).toEqual({ id: userId, email, name: "Signer", isOperator: false });
  });

  it.each([
    ["a wrong password", { email, password: "wrong" }],
    ["an unknown email", { email: `nobody-${stamp}@example.test`, password: "correct horse battery" }],
    ["a missing password", { email }],
    ["no input at all", undefined],
  ])("returns null for %s", async (_label, input) => {
    expect(await verifyCredentials(input)).toBeNull();
  });

  it("returns null for an account without a password (e.g. single sign-on only)", async () => {
    const sso = await db.user.create({ data: { email: `sso-${stamp}@example.test`, name: "SSO" } });
    expect(await verifyCredentials({ email: sso.email, password: "anything" })).toBeNull();
  });
});
