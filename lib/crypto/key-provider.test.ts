import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../config/env";
import { generateSecrets } from "../config/local-secrets";
import { wrapAad } from "./data-keys";
import { envMasterKeyProvider, KekUnwrapError, kekIdOf, UnknownKekError } from "./key-provider";

describe("envMasterKeyProvider (wrapping data keys)", () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const dataKey = randomBytes(32);
  const aad = wrapAad("tenant:7d1c7f4e-0000-4000-8000-000000000001", 1, kekIdOf(k1));

  it("wraps under the current master key and names it by id (8 hex of its SHA-256)", async () => {
    const keks = envMasterKeyProvider(k1);
    const { kekId, wrapped } = await keks.wrap(dataKey, aad);
    expect(kekId).toMatch(/^[0-9a-f]{8}$/);
    expect(kekId).toBe(kekIdOf(k1));
    expect(wrapped.length).toBe(12 + 32 + 16);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(await keks.unwrap(kekId, wrapped, aad)).toEqual(dataKey);
  });

  it("unwraps with a previous master key, and refuses a key it does not hold", async () => {
    const { kekId, wrapped } = await envMasterKeyProvider(k1).wrap(dataKey, aad);
    const rotated = envMasterKeyProvider(k2, [k1]);
    expect(rotated.currentKekId()).toBe(kekIdOf(k2));
    expect(rotated.kekIds()).toEqual([kekIdOf(k2), kekIdOf(k1)]);
    expect(await rotated.unwrap(kekId, wrapped, aad)).toEqual(dataKey);
    await expect(envMasterKeyProvider(k2).unwrap(kekId, wrapped, aad)).rejects.toBeInstanceOf(UnknownKekError);
  });

  it("refuses a wrapped key moved to another owner or version, or with a byte changed", async () => {
    const keks = envMasterKeyProvider(k1);
    const { kekId, wrapped } = await keks.wrap(dataKey, aad);
    await expect(keks.unwrap(kekId, wrapped, wrapAad("tenant:7d1c7f4e-0000-4000-8000-000000000002", 1, kekId))).rejects.toBeInstanceOf(KekUnwrapError);
    await expect(keks.unwrap(kekId, wrapped, wrapAad("tenant:7d1c7f4e-0000-4000-8000-000000000001", 2, kekId))).rejects.toBeInstanceOf(KekUnwrapError);
    for (let i = 0; i < wrapped.length; i++) {
      const tampered = Buffer.from(wrapped);
      tampered[i] = tampered[i]! ^ 0x80;
      await expect(keks.unwrap(kekId, tampered, aad), `byte ${i}`).rejects.toBeInstanceOf(KekUnwrapError);
    }
  });
});

describe("master key configuration", () => {
  const secrets = generateSecrets();
  const noLocal = () => secrets;

  it("reads MASTER_KEY from MASTER_KEY_FILE", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "mg-key-"));
    const file = path.join(dir, "master.key");
    writeFileSync(file, `${secrets.MASTER_KEY}\n`, { mode: 0o600 });
    const { MASTER_KEY: _omit, ...rest } = secrets;
    expect(parseConfig({ ...rest, NODE_ENV: "production", MASTER_KEY_FILE: file }, noLocal).MASTER_KEY).toBe(secrets.MASTER_KEY);
    expect(() => parseConfig({ ...secrets, MASTER_KEY_FILE: file }, noLocal)).toThrow(new ConfigError("MASTER_KEY and MASTER_KEY_FILE are both set: set one of them"));
    expect(() => parseConfig({ ...rest, MASTER_KEY_FILE: path.join(dir, "missing") }, noLocal)).toThrow(/MASTER_KEY_FILE is invalid: cannot read .* \(ENOENT\)/);
  });

  it("accepts previous master keys as a comma-separated list, and never echoes them", () => {
    const previous = [randomBytes(32).toString("base64"), randomBytes(32).toString("base64")].join(",");
    expect(parseConfig({ ...secrets, MASTER_KEY_PREVIOUS: previous }, noLocal).MASTER_KEY_PREVIOUS).toBe(previous);
    expect(() => parseConfig({ ...secrets, MASTER_KEY_PREVIOUS: "c2hvcnQ=" }, noLocal)).toThrow(
      "MASTER_KEY_PREVIOUS is invalid: expected a comma-separated list of base64 32-byte keys (got (hidden))",
    );
  });
});
