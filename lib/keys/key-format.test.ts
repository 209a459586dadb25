import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, isWellFormedApiKey, KEY_LENGTH, KEY_PREFIX } from "./key-format";

describe("API key format", () => {
  it("generates prefixed base62 keys with ≥160 random bits whose checksum verifies", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const key = generateApiKey();
      expect(key.secret).toMatch(/^mgk_[0-9A-Za-z]{38}$/);
      expect(key.secret).toHaveLength(KEY_LENGTH);
      expect(isWellFormedApiKey(key.secret)).toBe(true);
      expect(key.hash.equals(hashApiKey(key.secret))).toBe(true);
      expect(key.displayPrefix).toBe(key.secret.slice(0, 8));
      seen.add(key.secret);
    }
    expect(seen.size).toBe(200);
    expect(32 * Math.log2(62)).toBeGreaterThan(160);
  });

  it("refuses a key with one character changed, truncated, or of another shape", () => {
    const { secret } = generateApiKey();
    const i = KEY_PREFIX.length + 5;
    const flipped = secret.slice(0, i) + (secret[i] === "a" ? "b" : "a") + secret.slice(i + 1);
    expect(isWellFormedApiKey(flipped)).toBe(false);
    expect(isWellFormedApiKey(secret.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${secret}x`)).toBe(false);
    expect(isWellFormedApiKey(secret.replace("mgk_", "sk-_"))).toBe(false);
    expect(isWellFormedApiKey("")).toBe(false);
    expect(isWellFormedApiKey(`mgk_${"!".repeat(38)}`)).toBe(false);
  });
});
