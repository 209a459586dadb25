import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import canonicalize from "canonicalize";
import { getConfig } from "../config/env";
import { CHAIN_FORMAT_VERSION } from "./chain-format";

export type AuditSigningKey = {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex chars of SHA-256 over the public key's SPKI DER: names the key in each checkpoint. */
  keyId: string;
  publicKeyPem: string;
};

/** The Ed25519 key of AUDIT_SIGNING_KEY (base64 PKCS#8 DER) and its public half. */
export function loadSigningKey(base64Pkcs8: string): AuditSigningKey {
  const privateKey = createPrivateKey({ key: Buffer.from(base64Pkcs8, "base64"), format: "der", type: "pkcs8" });
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("AUDIT_SIGNING_KEY is not an Ed25519 key");
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** The key id of a public key: the first 16 hex chars of SHA-256 over its SPKI DER. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex").slice(0, 16);
}

/**
 * Every key checkpoints may be signed with, by key id: the current one and
 * those of AUDIT_PREVIOUS_PUBLIC_KEYS (base64 SPKI DER of retired keys).
 */
export function verificationKeys(current: AuditSigningKey = getSigningKey(), previous = getConfig().AUDIT_PREVIOUS_PUBLIC_KEYS): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>([[current.keyId, current.publicKey]]);
  for (const b64 of previous.split(/[\s,]+/).filter(Boolean)) {
    const key = createPublicKey({ key: Buffer.from(b64, "base64"), format: "der", type: "spki" });
    if (key.asymmetricKeyType !== "ed25519") throw new Error("AUDIT_PREVIOUS_PUBLIC_KEYS holds a key that is not Ed25519");
    keys.set(keyIdOf(key), key);
  }
  return keys;
}

let cached: AuditSigningKey | undefined;

export function getSigningKey(): AuditSigningKey {
  cached ??= loadSigningKey(getConfig().AUDIT_SIGNING_KEY);
  return cached;
}

export type CheckpointClaim = { tenantId: string; seq: number; entryHash: string; signedAt: Date };

/** The bytes a checkpoint signature covers: RFC 8785 JSON of {entry_hash, seq, signed_at, tenant_id, v}. */
export function checkpointPayload(c: CheckpointClaim): Buffer {
  return Buffer.from(
    canonicalize({ entry_hash: c.entryHash, seq: c.seq, signed_at: c.signedAt.toISOString(), tenant_id: c.tenantId, v: CHAIN_FORMAT_VERSION })!,
  );
}

export function signCheckpoint(c: CheckpointClaim, key: AuditSigningKey = getSigningKey()): string {
  return sign(null, checkpointPayload(c), key.privateKey).toString("base64");
}

export function checkpointSignatureValid(c: CheckpointClaim, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointPayload(c), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
