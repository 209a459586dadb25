import { hkdfSync } from "node:crypto";
import { getConfig } from "../config/env";

/**
 * Where field encryption gets its keys. Callers name no key: they ask for the
 * current version to encrypt, and for a version to decrypt what an envelope
 * says it was sealed with. A later provider (per-tenant data keys wrapped by a
 * KMS) replaces `getKeyProvider()` without touching any caller.
 */
export interface KeyProvider {
  /** The version new ciphertexts are sealed under. */
  currentVersion(): number;
  /** The 32-byte AES key of `version`; throws for a version it does not hold. */
  keyFor(version: number): Buffer;
}

export class UnknownKeyVersionError extends Error {
  constructor(version: number) {
    super(`no encryption key of version ${version}`);
    this.name = "UnknownKeyVersionError";
  }
}

/** Derives purpose-bound keys from one 32-byte master key (HKDF-SHA-256). */
export function deriveKey(masterKey: Buffer, purpose: string, bytes = 32): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), `modelgate:${purpose}`, bytes));
}

/**
 * Version 1: the field-encryption key derived from MASTER_KEY. The master key
 * itself never encrypts data, so it can go on to wrap other keys.
 */
export function masterKeyProvider(masterKey: Buffer): KeyProvider {
  if (masterKey.length !== 32) throw new Error("MASTER_KEY must be 32 bytes");
  const keys = new Map<number, Buffer>([[1, deriveKey(masterKey, "field-encryption:v1")]]);
  return {
    currentVersion: () => 1,
    keyFor(version) {
      const key = keys.get(version);
      if (!key) throw new UnknownKeyVersionError(version);
      return key;
    },
  };
}

let provider: KeyProvider | undefined;

/** The process's key provider (MASTER_KEY from the configuration). */
export function getKeyProvider(): KeyProvider {
  provider ??= masterKeyProvider(Buffer.from(getConfig().MASTER_KEY, "base64"));
  return provider;
}

/** A key for keyed hashes (HMAC) of one purpose, e.g. "recovery-codes". */
export function getHmacKey(purpose: string): Buffer {
  return deriveKey(Buffer.from(getConfig().MASTER_KEY, "base64"), `hmac:${purpose}`);
}
