import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/env";
import { generateSecrets } from "../config/local-secrets";
import { canonicalEntryJson, computeEntryHash, GENESIS_HASH } from "./chain-format";
import { checkpointSignatureValid, loadSigningKey, signCheckpoint } from "./signing-key";

const secrets = generateSecrets();
const noLocal = () => {
  throw new Error("local secrets must not be read");
};

describe("audit signing key and checkpoints", () => {
  const key = loadSigningKey(secrets.AUDIT_SIGNING_KEY);
  const claim = { tenantId: "5b0a3c1e-0000-4000-8000-000000000001", seq: 42, entryHash: "ab".repeat(32), signedAt: new Date("2026-11-26T08:00:00.000Z") };

  it("signs a checkpoint that verifies under the public key, and only as signed", () => {
    const signature = signCheckpoint(claim, key);
    expect(checkpointSignatureValid(claim, signature, key.publicKey)).toBe(true);
    expect(checkpointSignatureValid({ ...claim, seq: 41 }, signature, key.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...claim, entryHash: "cd".repeat(32) }, signature, key.publicKey)).toBe(false);
    const other = loadSigningKey(generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"));
    expect(checkpointSignatureValid(claim, signature, other.publicKey)).toBe(false);
    expect(checkpointSignatureValid(claim, "not base64 at all", key.publicKey)).toBe(false);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it("hashes the documented canonical form", () => {
    const row = {
      id: "11111111-1111-4111-8111-111111111111", tenantId: claim.tenantId, seq: 1, createdAt: claim.signedAt, actorType: "user", actorId: "u1",
      action: "key.create", targetType: "api_key", targetId: "k1", outcome: "success", ip: null, userAgent: null, requestId: "r1", details: { b: 1, a: [true] },
    };
    expect(canonicalEntryJson(row)).toBe(
      '{"action":"key.create","actor":{"id":"u1","type":"user"},"details":{"a":[true],"b":1},"id":"11111111-1111-4111-8111-111111111111",' +
        '"ip":null,"outcome":"success","request_id":"r1","seq":1,"target":{"id":"k1","type":"api_key"},' +
        `"tenant_id":"${claim.tenantId}","time":"2026-11-26T08:00:00.000Z","user_agent":null,"v":1}`,
    );
    expect(computeEntryHash(GENESIS_HASH, row)).toMatch(/^[0-9a-f]{64}$/);
    expect(computeEntryHash(GENESIS_HASH, { ...row, seq: 2 })).not.toBe(computeEntryHash(GENESIS_HASH, row));
  });

  it("derives RETENTION_DATABASE_URL from DATABASE_URL (other user, no password) unless set", () => {
    expect(parseConfig({ ...secrets, DATABASE_URL: "postgresql://modelgate_app:pw@db.internal:5432/mg" }, noLocal).RETENTION_DATABASE_URL).toBe(
      "postgresql://modelgate_retention@db.internal:5432/mg",
    );
    expect(parseConfig({ ...secrets, RETENTION_DATABASE_URL: "postgresql://r:s@x/y" }, noLocal).RETENTION_DATABASE_URL).toBe("postgresql://r:s@x/y");
  });
});
