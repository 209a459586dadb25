import { randomBytes } from "node:crypto";
import { generate, generateURI, verify } from "otplib";

/**
 * Our TOTP (RFC 6238) over otplib 13. Every otplib verify returns a Promise
 * of `{ valid, timeStep }`; it is awaited here and nowhere else (a bare
 * `if (verify(...))` is always true).
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** RFC 4226 recommends 160 bits; we never go below. */
export const TOTP_SECRET_BYTES = 20;

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 without padding, what authenticator apps expect. */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A fresh random secret, base32. */
export function generateTotpSecret(bytes = TOTP_SECRET_BYTES): string {
  if (bytes < TOTP_SECRET_BYTES) throw new Error(`TOTP secrets are at least ${TOTP_SECRET_BYTES} bytes`);
  return base32Encode(randomBytes(bytes));
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, account: string, issuer = "ModelGate"): string {
  return generateURI({ issuer, label: account, secret, period: TOTP_PERIOD_SECONDS, digits: TOTP_DIGITS });
}

type Secret = string | Uint8Array;
type CodeOptions = { digits?: 6 | 7 | 8; algorithm?: "sha1" | "sha256" | "sha512" };

export function timeStepAt(epochSeconds: number): number {
  return Math.floor(epochSeconds / TOTP_PERIOD_SECONDS);
}

/** The code for `epochSeconds` (tests, and nothing else in production). */
export function totpCodeAt(secret: Secret, epochSeconds: number, opts: CodeOptions = {}): Promise<string> {
  return generate({
    secret,
    epoch: epochSeconds,
    period: TOTP_PERIOD_SECONDS,
    digits: opts.digits ?? TOTP_DIGITS,
    algorithm: opts.algorithm ?? "sha1",
  });
}

export type TotpCheck = { valid: true; timeStep: number } | { valid: false };

/**
 * Whether `code` is the code of the current time step or of the one before it
 * (never later, never further back: tolerance of one step in the past at
 * most). Returns the matched time step, which the caller must store and refuse
 * at or below from then on (replay). A malformed code is simply not valid.
 */
export async function checkTotp(
  secret: Secret,
  code: string,
  opts: CodeOptions & { epochSeconds?: number; afterTimeStep?: number } = {},
): Promise<TotpCheck> {
  const digits = opts.digits ?? TOTP_DIGITS;
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return { valid: false };
  const result = await verify({
    secret,
    token: code,
    epoch: opts.epochSeconds ?? Math.floor(Date.now() / 1000),
    period: TOTP_PERIOD_SECONDS,
    digits,
    algorithm: opts.algorithm ?? "sha1",
    epochTolerance: [TOTP_PERIOD_SECONDS, 0],
    ...(opts.afterTimeStep !== undefined ? { afterTimeStep: opts.afterTimeStep } : {}),
  });
  // otplib types the result for TOTP and HOTP alike; a TOTP result carries timeStep.
  return result.valid && "timeStep" in result ? { valid: true, timeStep: result.timeStep } : { valid: false };
}
