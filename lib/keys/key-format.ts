import { createHash, randomInt } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * API key format (GitHub's scheme): a readable prefix, a random base62 body
 * and a 6-character base62 CRC32 of prefix+body.
 *
 *   mgk_<32 base62 chars, 190 bits><6 base62 chars checksum>
 *
 * The checksum lets the gateway refuse a mistyped or made-up key without a
 * cache, Redis or database lookup, and lets secret scanners find leaked keys
 * with few false positives.
 */
export const KEY_PREFIX = "mgk_";
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);
export const KEY_LENGTH = KEY_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH;

function base62(value: number, width: number): string {
  let out = "";
  let n = value >>> 0;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62]! + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function checksum(prefixAndBody: string): string {
  return base62(crc32(prefixAndBody), CHECKSUM_LENGTH);
}

export type NewApiKey = {
  /** The full key: shown to its owner once, never stored. */
  secret: string;
  /** SHA-256 of the secret: what is stored and looked up. */
  hash: Buffer;
  /** What the console shows to tell keys apart, e.g. `mgk_7fQ2`. */
  displayPrefix: string;
};

export function generateApiKey(): NewApiKey {
  let body = "";
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[randomInt(62)];
  const secret = KEY_PREFIX + body + checksum(KEY_PREFIX + body);
  return { secret, hash: hashApiKey(secret), displayPrefix: displayPrefixOf(secret) };
}

/** True when `token` has the shape and checksum of a ModelGate key. */
export function isWellFormedApiKey(token: string): boolean {
  if (token.length !== KEY_LENGTH || !KEY_PATTERN.test(token)) return false;
  const cut = KEY_LENGTH - CHECKSUM_LENGTH;
  return checksum(token.slice(0, cut)) === token.slice(cut);
}

export function hashApiKey(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

export function displayPrefixOf(secret: string): string {
  return secret.slice(0, KEY_PREFIX.length + 4);
}
