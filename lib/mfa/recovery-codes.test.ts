import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateRecoveryCodes, hashRecoveryCode, matchRecoveryCode, normalizeRecoveryCode } from "./recovery-codes";

describe("recovery codes", () => {
  it("makes ten distinct codes of the shape xxxxx-xxxxx", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  });

  it("normalises case, separators and look-alike letters; refuses anything else", () => {
    expect(normalizeRecoveryCode(" AB3DE-FG7HJ ")).toBe("ab3defg7hj");
    expect(normalizeRecoveryCode("ab3de fg7hj")).toBe("ab3defg7hj");
    expect(normalizeRecoveryCode("oilab-cdefg")).toBe("011abcdefg");
    for (const bad of ["", "abc", "ab3de-fg7hj-x", "ab3de-fg7h!", "ab3de-fg7hu"]) expect(normalizeRecoveryCode(bad)).toBeNull();
  });

  it("hashes per user under a key, and matches in constant time over every stored hash", () => {
    const key = randomBytes(32);
    const user = randomUUID();
    const codes = generateRecoveryCodes().map((c) => normalizeRecoveryCode(c)!);
    const stored = codes.map((c) => hashRecoveryCode(key, user, c));
    expect(matchRecoveryCode(hashRecoveryCode(key, user, codes[3]!), stored)).toBe(3);
    expect(matchRecoveryCode(hashRecoveryCode(key, randomUUID(), codes[3]!), stored)).toBe(-1);
    expect(matchRecoveryCode(hashRecoveryCode(randomBytes(32), user, codes[3]!), stored)).toBe(-1);
  });
});
