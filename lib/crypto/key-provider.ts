import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
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

/**
 * The HMAC keys of one purpose under the current and every previous master
 * key (current first): what a verifier of long-lived keyed hashes (recovery
 * codes) checks against, so they keep matching across a master-key rotation.
 */
export function getHmacKeys(purpose: string): Buffer[] {
  return [getHmacKey(purpose), ...previousMasterKeys().map((k) => deriveKey(k, `hmac:${purpose}`))];
}

/**
 * Where data keys are wrapped (the KEK side of envelope encryption). The
 * environment provider below holds the master keys in memory; a KMS or Vault
 * provider implements the same three calls remotely, and no caller changes.
 * `aad` binds a wrapped key to its owner and version: a wrapped key copied to
 * another tenant or version does not unwrap.
 */
export interface MasterKeyProvider {
  /** The id of the master key new data keys are wrapped under. */
  currentKekId(): string;
  /** Every master key id this provider can unwrap with (current first). */
  kekIds(): string[];
  wrap(dataKey: Buffer, aad: Buffer): Promise<{ kekId: string; wrapped: Buffer }>;
  /** Throws UnknownKekError for a key id it does not hold, KekUnwrapError if the wrapped key does not open. */
  unwrap(kekId: string, wrapped: Buffer, aad: Buffer): Promise<Buffer>;
  /**
   * Field keys of the format before envelope encryption (derived from each
   * configured master key), to open secrets not yet moved onto a data key. A
   * provider that never saw that format has none.
   */
  legacyFieldKeys?(): KeyProvider[];
}

export class UnknownKekError extends Error {
  constructor(readonly kekId: string) {
    super(`master key ${kekId} is not configured (MASTER_KEY / MASTER_KEY_PREVIOUS)`);
    this.name = "UnknownKekError";
  }
}

/** A wrapped data key that does not open under the master key it names (tampered, or moved). */
export class KekUnwrapError extends Error {
  constructor(readonly kekId: string) {
    super(`a data key did not unwrap under master key ${kekId}`);
    this.name = "KekUnwrapError";
  }
}

/** A master key's public id: the first 8 hex digits of its SHA-256. */
export function kekIdOf(masterKey: Buffer): string {
  return createHash("sha256").update(masterKey).digest("hex").slice(0, 8);
}

const WRAP_IV_BYTES = 12;
const WRAP_TAG_BYTES = 16;

/**
 * Master keys from the environment (MASTER_KEY or MASTER_KEY_FILE, plus
 * MASTER_KEY_PREVIOUS). Wrapping: AES-256-GCM under a key derived from the
 * master key (HKDF, purpose "data-key-wrap"); wrapped = IV | ciphertext | tag.
 */
export function envMasterKeyProvider(current: Buffer, previous: Buffer[] = []): MasterKeyProvider {
  const keks = new Map<string, Buffer>();
  for (const k of [current, ...previous]) {
    if (k.length !== 32) throw new Error("master keys must be 32 bytes");
    const id = kekIdOf(k);
    if (!keks.has(id)) keks.set(id, deriveKey(k, "data-key-wrap"));
  }
  const currentId = kekIdOf(current);
  const wrappingKey = (kekId: string) => {
    const key = keks.get(kekId);
    if (!key) throw new UnknownKekError(kekId);
    return key;
  };
  const legacy = [current, ...previous].map((k) => masterKeyProvider(k));
  return {
    legacyFieldKeys: () => legacy,
    currentKekId: () => currentId,
    kekIds: () => [...keks.keys()],
    async wrap(dataKey, aad) {
      const iv = randomBytes(WRAP_IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", wrappingKey(currentId), iv, { authTagLength: WRAP_TAG_BYTES });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return { kekId: currentId, wrapped: Buffer.concat([iv, body, cipher.getAuthTag()]) };
    },
    async unwrap(kekId, wrapped, aad) {
      const key = wrappingKey(kekId);
      if (wrapped.length !== WRAP_IV_BYTES + 32 + WRAP_TAG_BYTES) throw new Error("wrapped data key has the wrong length");
      const decipher = createDecipheriv("aes-256-gcm", key, wrapped.subarray(0, WRAP_IV_BYTES), { authTagLength: WRAP_TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(wrapped.subarray(wrapped.length - WRAP_TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(wrapped.subarray(WRAP_IV_BYTES, wrapped.length - WRAP_TAG_BYTES)), decipher.final()]);
      } catch {
        throw new KekUnwrapError(kekId);
      }
    },
  };
}

/** MASTER_KEY_PREVIOUS, decoded. */
export function previousMasterKeys(): Buffer[] {
  return getConfig()
    .MASTER_KEY_PREVIOUS.split(/[\s,]+/)
    .filter(Boolean)
    .map((k) => Buffer.from(k, "base64"));
}

let masterProvider: MasterKeyProvider | undefined;

/** The process's master-key provider (from the configuration). */
export function getMasterKeyProvider(): MasterKeyProvider {
  masterProvider ??= envMasterKeyProvider(Buffer.from(getConfig().MASTER_KEY, "base64"), previousMasterKeys());
  return masterProvider;
}

/** Tests and tools: replace the process's master-key provider (undefined: back to the configuration). */
export function setMasterKeyProvider(next: MasterKeyProvider | undefined): void {
  masterProvider = next;
}
