import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptField, DecryptionError, encryptField, keyVersionOf } from "./field-cipher";
import { masterKeyProvider, type KeyProvider } from "./key-provider";

const keys = masterKeyProvider(randomBytes(32));
const secret = Buffer.from("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
const here = { table: "user_mfa", column: "totp_secret", rowId: randomUUID() };

describe("field encryption (AES-256-GCM, location-bound)", () => {
  it("round-trips, with a fresh IV every time", () => {
    const a = encryptField(secret, here, keys);
    const b = encryptField(secret, here, keys);
    expect(a.equals(b)).toBe(false);
    expect(decryptField(a, here, keys)).toEqual(secret);
    expect(decryptField(b, here, keys)).toEqual(secret);
    expect(a.length).toBe(1 + 4 + 12 + secret.length + 16);
    expect(keyVersionOf(a)).toBe(1);
  });

  it("refuses an envelope with any single byte changed", () => {
    const sealed = encryptField(secret, here, keys);
    for (let i = 0; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i] = tampered[i]! ^ 0x01;
      expect(() => decryptField(tampered, here, keys), `byte ${i}`).toThrow(DecryptionError);
    }
  });

  it("refuses a ciphertext moved to another row, column or table", () => {
    const sealed = encryptField(secret, here, keys);
    expect(() => decryptField(sealed, { ...here, rowId: randomUUID() }, keys)).toThrow(DecryptionError);
    expect(() => decryptField(sealed, { ...here, column: "pending_totp_secret" }, keys)).toThrow(DecryptionError);
    expect(() => decryptField(sealed, { ...here, table: "models" }, keys)).toThrow(DecryptionError);
  });

  it("refuses another master key, a truncated envelope and an unknown key version", () => {
    const sealed = encryptField(secret, here, keys);
    expect(() => decryptField(sealed, here, masterKeyProvider(randomBytes(32)))).toThrow(DecryptionError);
    expect(() => decryptField(sealed.subarray(0, 20), here, keys)).toThrow(DecryptionError);
    const relabelled = Buffer.from(sealed);
    relabelled.writeUInt32BE(2, 1);
    expect(() => decryptField(relabelled, here, keys)).toThrow(/key version 2/);
  });

  it("binds the key version into the AAD, so a provider can rotate keys", () => {
    const v1 = masterKeyProvider(randomBytes(32));
    const v2Key = randomBytes(32);
    const rotated: KeyProvider = {
      currentVersion: () => 2,
      keyFor: (v) => (v === 2 ? v2Key : v1.keyFor(v)),
    };
    const old = encryptField(secret, here, v1);
    const fresh = encryptField(secret, here, rotated);
    expect(keyVersionOf(fresh)).toBe(2);
    expect(decryptField(old, here, rotated)).toEqual(secret);
    expect(decryptField(fresh, here, rotated)).toEqual(secret);
  });

  it("refuses a master key that is not 32 bytes", () => {
    expect(() => masterKeyProvider(randomBytes(16))).toThrow();
  });
});
