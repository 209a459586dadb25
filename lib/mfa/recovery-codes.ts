import { createHmac, randomInt, timingSafeEqual } from "node:crypto";

/**
 * One-time recovery codes: ten per enrolment, shown once. Ten characters of
 * Crockford base32 (50 bits), shown as `xxxxx-xxxxx`; stored only as
 * HMAC-SHA-256 under a server key, bound to the user, so a copy of the table
 * is useless without the key and one user's code never fits another.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const LENGTH = 10;

export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    let raw = "";
    for (let i = 0; i < LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
    codes.add(`${raw.slice(0, 5)}-${raw.slice(5)}`);
  }
  return [...codes];
}

/**
 * What the user typed, in canonical form, or null when it cannot be a
 * recovery code: case and separators are ignored, and the letters Crockford
 * base32 leaves out read as the digits they resemble (o→0, i/l→1).
 */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1");
  if (compact.length !== LENGTH) return null;
  for (const ch of compact) if (!ALPHABET.includes(ch)) return null;
  return compact;
}

export function hashRecoveryCode(key: Buffer, userId: string, normalized: string): Buffer {
  return createHmac("sha256", key).update(`${userId}:${normalized}`).digest();
}

/** Index of the stored hash equal to `candidate`, comparing every one in constant time. */
export function matchRecoveryCode(candidate: Buffer, stored: readonly Uint8Array[]): number {
  let found = -1;
  stored.forEach((hash, i) => {
    const equal = hash.length === candidate.length && timingSafeEqual(Buffer.from(hash), candidate);
    if (equal && found === -1) found = i;
  });
  return found;
}
