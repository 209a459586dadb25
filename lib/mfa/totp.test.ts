import { describe, expect, it } from "vitest";
import { base32Encode, checkTotp, generateTotpSecret, timeStepAt, totpCodeAt, totpUri } from "./totp";

// RFC 6238 Appendix B, SHA-1: the ASCII secret "12345678901234567890", 8 digits.
const RFC_SECRET = new TextEncoder().encode("12345678901234567890");
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP wrapper (RFC 6238)", () => {
  it.each(RFC_VECTORS)("generates the Appendix B SHA-1 code at T=%i", async (time, code) => {
    expect(await totpCodeAt(RFC_SECRET, time, { digits: 8 })).toBe(code);
  });

  it.each(RFC_VECTORS)("accepts the Appendix B SHA-1 code at T=%i, reporting its time step", async (time, code) => {
    const result = await checkTotp(RFC_SECRET, code, { digits: 8, epochSeconds: time });
    expect(result).toEqual({ valid: true, timeStep: Math.floor(time / 30) });
  });

  it("takes the base32 form of the same secret", async () => {
    const base32 = base32Encode(RFC_SECRET);
    expect(base32).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(await totpCodeAt(base32, 59, { digits: 8 })).toBe("94287082");
  });

  it("tolerates exactly one step in the past, and none in the future", async () => {
    const secret = generateTotpSecret();
    const now = 1_800_000_015;
    const at = (t: number) => totpCodeAt(secret, t);
    expect(await checkTotp(secret, await at(now), { epochSeconds: now })).toEqual({ valid: true, timeStep: timeStepAt(now) });
    expect(await checkTotp(secret, await at(now - 30), { epochSeconds: now })).toEqual({ valid: true, timeStep: timeStepAt(now) - 1 });
    expect(await checkTotp(secret, await at(now - 60), { epochSeconds: now })).toEqual({ valid: false });
    expect(await checkTotp(secret, await at(now + 30), { epochSeconds: now })).toEqual({ valid: false });
  });

  it("refuses a time step at or before afterTimeStep (replay)", async () => {
    const secret = generateTotpSecret();
    const now = 1_800_000_015;
    const code = await totpCodeAt(secret, now);
    expect((await checkTotp(secret, code, { epochSeconds: now, afterTimeStep: timeStepAt(now) - 1 })).valid).toBe(true);
    expect((await checkTotp(secret, code, { epochSeconds: now, afterTimeStep: timeStepAt(now) })).valid).toBe(false);
  });

  it.each(["", "12345", "1234567", "12a456", " 123456", "１２３４５６"])("treats the malformed code %j as not valid (no throw)", async (code) => {
    expect(await checkTotp(generateTotpSecret(), code)).toEqual({ valid: false });
  });

  it("makes secrets of at least 20 random bytes and an otpauth URI", () => {
    const a = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(a);
    expect(() => generateTotpSecret(10)).toThrow();
    expect(totpUri(a, "ada@example.com")).toBe(`otpauth://totp/ModelGate:ada%40example.com?secret=${a}&issuer=ModelGate`);
  });
});
