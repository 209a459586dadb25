import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { getConfig } from "../config/env";
import { withTenant } from "../db/tenant-scope";
import { clearDataKeyCache } from "./data-keys";
import { ENCRYPTED_COLUMNS } from "./encrypted-columns";
import { DecryptionError, encryptField } from "./field-cipher";
import { envMasterKeyProvider, getMasterKeyProvider, kekIdOf, masterKeyProvider, setMasterKeyProvider } from "./key-provider";
import { openPlatformSecret, sealPlatformSecret } from "./platform-secrets";
import { reencryptAll, reencryptBatch, startDataKeyRotation } from "./reencrypt";
import { rewrapAllDataKeys } from "./rewrap";
import { dataKeyVersionOf, openTenantSecret, sealTenantSecret } from "./tenant-secrets";
import { verifySecondFactor } from "../mfa/second-factor";
import { generateTotpSecret, totpCodeAt } from "../mfa/totp";

vi.mock("server-only", () => ({}));

const db = appDb(4);
const operator = { type: "system" as const, id: "test:crypto" };
const at = (rowId: string) => ({ table: "webhook_endpoints", column: "secret_ciphertext", rowId });

let su: pg.Client;

/** n webhook endpoints of `tenantId`, each with its own secret sealed in place (as lib/webhooks does). */
async function sealedRows(tenantId: string, n: number): Promise<{ id: string; secret: string }[]> {
  const rows: { id: string; secret: string }[] = [];
  for (let i = 0; i < n; i++) {
    const { rows: [row] } = await su.query<{ id: string }>(
      "INSERT INTO webhook_endpoints (tenant_id, url, secret_ciphertext, secret_prefix) VALUES ($1, $2, '\\x00', 'whsec_test') RETURNING id",
      [tenantId, `https://hooks.example.test/${i}`],
    );
    const secret = `whsec_${randomBytes(24).toString("base64")}`;
    await withTenant(tenantId, async (tx) => {
      const sealed = await sealTenantSecret(tx, tenantId, at(row!.id), Buffer.from(secret));
      await tx.$executeRaw`UPDATE webhook_endpoints SET secret_ciphertext = ${new Uint8Array(sealed)} WHERE id = ${row!.id}::uuid`;
    }, db);
    rows.push({ id: row!.id, secret });
  }
  return rows;
}

async function stored(id: string): Promise<Buffer> {
  const { rows } = await su.query<{ c: Buffer }>("SELECT secret_ciphertext AS c FROM webhook_endpoints WHERE id = $1", [id]);
  return rows[0]!.c;
}

const open = (tenantId: string, rowId: string, envelope: Uint8Array, asTenant = tenantId) =>
  withTenant(asTenant, (tx) => openTenantSecret(tx, tenantId, at(rowId), envelope), db).then((b) => b.toString());

async function newTenant(name: string): Promise<string> {
  return (await insertTenantWithMember(su, `${name}-${randomUUID().slice(0, 8)}`)).tenantId;
}

beforeAll(async () => {
  su = await superuser();
});
afterEach(() => {
  setMasterKeyProvider(undefined);
  clearDataKeyCache();
});
afterAll(async () => {
  await su.end();
  await db.$disconnect();
});

describe("tenant secrets (envelope encryption)", () => {
  it("seals under a per-tenant data key created on first use, wrapped by the master key", async () => {
    const tenant = await newTenant("env-first");
    const [row] = await sealedRows(tenant, 1);
    const envelope = await stored(row!.id);
    expect(envelope.includes(Buffer.from(row!.secret))).toBe(false);
    expect(envelope[0]).toBe(0x02);
    expect(dataKeyVersionOf(envelope)).toBe(1);
    expect(await open(tenant, row!.id, envelope)).toBe(row!.secret);
    const { rows: keys } = await su.query("SELECT key_version, kek_id, status, octet_length(wrapped_key) AS len FROM tenant_data_keys WHERE tenant_id = $1", [tenant]);
    expect(keys).toEqual([{ key_version: 1, kek_id: getMasterKeyProvider().currentKekId(), status: "active", len: 12 + 32 + 16 }]);
  });

  it("creates exactly one data key when many transactions seal the tenant's first secret at once", async () => {
    const tenant = await newTenant("env-race");
    const sealed = await Promise.all(
      Array.from({ length: 6 }, (_, i) => withTenant(tenant, (tx) => sealTenantSecret(tx, tenant, at(`00000000-0000-4000-8000-00000000000${i}`), Buffer.from(`s${i}`)), db)),
    );
    const { rows } = await su.query("SELECT count(*)::int AS n FROM tenant_data_keys WHERE tenant_id = $1", [tenant]);
    expect(rows[0].n).toBe(1);
    clearDataKeyCache();
    for (const [i, envelope] of sealed.entries()) expect(await open(tenant, `00000000-0000-4000-8000-00000000000${i}`, envelope)).toBe(`s${i}`);
  });

  it("refuses an envelope with any single byte changed", async () => {
    const tenant = await newTenant("env-tamper");
    const [row] = await sealedRows(tenant, 1);
    const envelope = await stored(row!.id);
    for (let i = 0; i < envelope.length; i++) {
      const tampered = Buffer.from(envelope);
      tampered[i] = tampered[i]! ^ 0x01;
      await expect(open(tenant, row!.id, tampered), `byte ${i}`).rejects.toBeInstanceOf(DecryptionError);
    }
  });

  it("refuses a ciphertext swapped to another row, column or tenant", async () => {
    const a = await newTenant("env-swap-a");
    const b = await newTenant("env-swap-b");
    const [a1, a2] = await sealedRows(a, 2);
    const [b1] = await sealedRows(b, 1);
    const a1Envelope = await stored(a1!.id);
    // Another row of the same tenant.
    await expect(open(a, a2!.id, a1Envelope)).rejects.toBeInstanceOf(DecryptionError);
    await expect(
      withTenant(a, (tx) => openTenantSecret(tx, a, { ...at(a1!.id), column: "url" }, a1Envelope), db),
    ).rejects.toBeInstanceOf(DecryptionError);
    // Copied into tenant B's row, opened as B (B's key, B's AAD).
    await su.query("UPDATE webhook_endpoints SET secret_ciphertext = $1 WHERE id = $2", [a1Envelope, b1!.id]);
    await expect(open(b, b1!.id, await stored(b1!.id))).rejects.toBeInstanceOf(DecryptionError);
    // Opened as A's tenant id from inside B's transaction: A's data key is invisible there.
    await expect(open(a, a1!.id, a1Envelope, b)).rejects.toThrow(/has no data key of version 1/);
  });

  it("keeps tenant A's transaction from reading tenant B's data keys (RLS)", async () => {
    const a = await newTenant("env-rls-a");
    const b = await newTenant("env-rls-b");
    await sealedRows(a, 1);
    await sealedRows(b, 1);
    const seen = await withTenant(a, (tx) => tx.tenantDataKey.findMany({ select: { tenantId: true } }), db);
    expect(seen).toEqual([{ tenantId: a }]);
    expect(await withTenant(a, (tx) => tx.tenantDataKey.count({ where: { tenantId: b } }), db)).toBe(0);
    const updated = await withTenant(a, (tx) => tx.tenantDataKey.updateMany({ where: { tenantId: b }, data: { status: "retired" } }), db);
    expect(updated.count).toBe(0);
    expect(await db.tenantDataKey.count()).toBe(0); // no tenant set: nothing at all
  });
});

describe("master key rotation (mg crypto rewrap)", () => {
  it("re-wraps every data key under the new master key; secrets keep opening throughout, without touching them", async () => {
    const tenant = await newTenant("env-rewrap");
    const rows = await sealedRows(tenant, 3);
    const before: Buffer[] = [];
    for (const r of rows) before.push(await stored(r.id));
    const original = Buffer.from(getConfig().MASTER_KEY, "base64");
    const next = randomBytes(32);

    // Step 1: deploy the new key as MASTER_KEY, the old one as MASTER_KEY_PREVIOUS: everything still opens.
    setMasterKeyProvider(envMasterKeyProvider(next, [original]));
    clearDataKeyCache();
    for (const r of rows) expect(await open(tenant, r.id, await stored(r.id))).toBe(r.secret);

    // Step 2: re-wrap.
    const result = await rewrapAllDataKeys(operator, { db });
    expect(result.kekId).toBe(kekIdOf(next));
    expect(result.rewrapped).toBeGreaterThanOrEqual(1);
    const { rows: keys } = await su.query("SELECT kek_id, rewrapped_at FROM tenant_data_keys WHERE tenant_id = $1", [tenant]);
    expect(keys.map((k) => k.kek_id)).toEqual([kekIdOf(next)]);
    for (const [i, r] of rows.entries()) expect(await stored(r.id)).toEqual(before[i]); // no data row touched
    const { rows: audit } = await su.query("SELECT actor_type, actor_id, metadata FROM audit_logs WHERE tenant_id = $1 AND action = 'crypto.data_key_rewrap'", [tenant]);
    expect(audit).toEqual([{ actor_type: "system", actor_id: "test:crypto", metadata: { key_versions: [1], from_kek_ids: [kekIdOf(original)], to_kek_id: kekIdOf(next) } }]);
    expect((await rewrapAllDataKeys(operator, { db })).rewrapped).toBe(0); // idempotent

    // Step 3: drop the old key. Still opens; a process with only the old key cannot.
    setMasterKeyProvider(envMasterKeyProvider(next));
    clearDataKeyCache();
    for (const r of rows) expect(await open(tenant, r.id, await stored(r.id))).toBe(r.secret);
    setMasterKeyProvider(envMasterKeyProvider(original));
    clearDataKeyCache();
    await expect(open(tenant, rows[0]!.id, before[0]!)).rejects.toThrow(/master key .* is not configured/);

    // Back to the configured key, for the other tests of this run.
    setMasterKeyProvider(envMasterKeyProvider(original, [next]));
    await rewrapAllDataKeys(operator, { db });
    setMasterKeyProvider(envMasterKeyProvider(original));
    clearDataKeyCache();
    for (const r of rows) expect(await open(tenant, r.id, await stored(r.id))).toBe(r.secret);
  });

  it("refuses a wrapped key moved to another tenant; a rotation skips and names it", async () => {
    const a = await newTenant("env-wrap-a");
    const b = await newTenant("env-wrap-b");
    const [a1] = await sealedRows(a, 1);
    const [b1] = await sealedRows(b, 1);
    const { rows: [own] } = await su.query("SELECT wrapped_key FROM tenant_data_keys WHERE tenant_id = $1", [b]);
    await su.query(
      "UPDATE tenant_data_keys SET wrapped_key = (SELECT wrapped_key FROM tenant_data_keys WHERE tenant_id = $1 AND key_version = 1) WHERE tenant_id = $2",
      [a, b],
    );
    clearDataKeyCache();
    expect(await open(a, a1!.id, await stored(a1!.id))).toBe(a1!.secret);
    await expect(open(b, b1!.id, await stored(b1!.id))).rejects.toThrow(/did not unwrap/);

    // A master-key rotation re-wraps everything else and names the damaged key.
    const original = Buffer.from(getConfig().MASTER_KEY, "base64");
    const next = randomBytes(32);
    setMasterKeyProvider(envMasterKeyProvider(next, [original]));
    const rewrap = await rewrapAllDataKeys(operator, { db });
    expect(rewrap.failed).toEqual([{ owner: `tenant:${b}`, keyVersion: 1, reason: expect.stringMatching(/did not unwrap/) }]);
    expect(await open(a, a1!.id, await stored(a1!.id))).toBe(a1!.secret);
    setMasterKeyProvider(envMasterKeyProvider(original, [next]));
    expect((await rewrapAllDataKeys(operator, { db })).failed).toEqual([]); // B's row still names the original key: nothing to do
    await su.query("UPDATE tenant_data_keys SET wrapped_key = $1 WHERE tenant_id = $2", [own.wrapped_key, b]);
    setMasterKeyProvider(undefined);
    clearDataKeyCache();
    expect(await open(b, b1!.id, await stored(b1!.id))).toBe(b1!.secret);
  });
});

describe("data-key rotation (mg crypto rotate-data-key)", () => {
  it("seals new secrets under the new version at once, re-encrypts the rest in batches and resumes after an interruption", async () => {
    const tenant = await newTenant("env-rotate");
    const rows = await sealedRows(tenant, 7);
    const started = await startDataKeyRotation({ scope: "tenant", tenantId: tenant }, operator, db);
    expect(started).toEqual({ keyVersion: 2, resumed: false });
    const [fresh] = await sealedRows(tenant, 1);
    expect(dataKeyVersionOf(await stored(fresh!.id))).toBe(2);

    // A worker gets through the batches up to the first one of this tenant's
    // webhook secrets (other registered columns come first), then dies.
    let moved = 0;
    while (moved === 0) {
      const batch = await reencryptBatch({ scope: "tenant", tenantId: tenant, keyVersion: 2 }, { batchSize: 3, db });
      expect(batch.done).toBe(false);
      moved = batch.reencrypted;
    }
    expect(moved).toBeGreaterThanOrEqual(2); // 3 rows, one of them perhaps the new one (already on v2)
    const versions = async () => {
      const out: number[] = [];
      for (const r of rows) out.push(dataKeyVersionOf(await stored(r.id)));
      return out;
    };
    expect((await versions()).filter((v) => v === 2)).toHaveLength(moved);
    // Asking again resumes the same rotation rather than starting another.
    expect(await startDataKeyRotation({ scope: "tenant", tenantId: tenant }, operator, db)).toEqual({ keyVersion: 2, resumed: true });

    // A fresh worker picks it up from the stored cursor.
    const done = await reencryptAll({ scope: "tenant", tenantId: tenant, keyVersion: 2 }, { batchSize: 3, db });
    expect(done.reencrypted).toBe(7 - moved); // only those not yet moved
    expect(await versions()).toEqual(rows.map(() => 2));
    clearDataKeyCache();
    for (const r of [...rows, fresh!]) expect(await open(tenant, r.id, await stored(r.id))).toBe(r.secret);

    const { rows: keys } = await su.query("SELECT key_version, status, reencrypted_rows, reencrypted_at IS NOT NULL AS finished FROM tenant_data_keys WHERE tenant_id = $1 ORDER BY key_version", [tenant]);
    expect(keys).toEqual([
      { key_version: 1, status: "retired", reencrypted_rows: 0, finished: false },
      { key_version: 2, status: "active", reencrypted_rows: 7, finished: true },
    ]);
    const { rows: audit } = await su.query("SELECT action FROM audit_logs WHERE tenant_id = $1 AND action LIKE 'crypto.%' ORDER BY seq", [tenant]);
    expect(audit.map((a) => a.action)).toEqual(["crypto.data_key_rotate", "crypto.data_key_reencrypted"]);
    // Running the finished job again changes nothing.
    expect(await reencryptBatch({ scope: "tenant", tenantId: tenant, keyVersion: 2 }, { db })).toMatchObject({ done: true, reencrypted: 0 });
  });

  it("moves TOTP secrets of the format before envelope encryption onto the platform data key", async () => {
    const user = (await su.query<{ id: string }>("INSERT INTO users (email, name) VALUES ($1, 'Legacy') RETURNING id", [`legacy-${randomUUID()}@example.test`])).rows[0]!.id;
    const where = { table: "user_mfa", column: "totp_secret", rowId: user };
    const legacy = encryptField(Buffer.from("JBSWY3DPEHPK3PXP"), where, masterKeyProvider(Buffer.from(getConfig().MASTER_KEY, "base64")));
    await su.query("INSERT INTO user_mfa (user_id, totp_secret, totp_enabled_at) VALUES ($1, $2, now())", [user, legacy]);
    expect((await openPlatformSecret(where, legacy, db)).toString()).toBe("JBSWY3DPEHPK3PXP");

    const started = await startDataKeyRotation({ scope: "platform" }, operator, db);
    await reencryptAll({ scope: "platform", keyVersion: started.keyVersion }, { db });
    const { rows } = await su.query<{ s: Buffer }>("SELECT totp_secret AS s FROM user_mfa WHERE user_id = $1", [user]);
    expect(dataKeyVersionOf(rows[0]!.s)).toBe(started.keyVersion);
    expect((await openPlatformSecret(where, rows[0]!.s, db)).toString()).toBe("JBSWY3DPEHPK3PXP");
    await expect(openPlatformSecret({ ...where, rowId: randomUUID() }, rows[0]!.s, db)).rejects.toBeInstanceOf(DecryptionError);
  });

  it("does not stall on a sealed value that opens under no key: it is left as it is and the rest move on", async () => {
    const newUser = async (tag: string) =>
      (await su.query<{ id: string }>("INSERT INTO users (email, name) VALUES ($1, 'Copy') RETURNING id", [`${tag}-${randomUUID()}@example.test`])).rows[0]!.id;
    const owner = await newUser("owner");
    const thief = await newUser("thief");
    const sealed = await sealPlatformSecret({ table: "user_mfa", column: "totp_secret", rowId: owner }, Buffer.from("JBSWY3DPEHPK3PXP"), db);
    const garbled = await newUser("garbled");
    await su.query("INSERT INTO user_mfa (user_id, totp_secret, totp_enabled_at) VALUES ($1, $2, now()), ($3, $2, now()), ($4, $5, now())", [
      owner,
      sealed,
      thief,
      garbled,
      Buffer.from("not an envelope at all"),
    ]);

    const started = await startDataKeyRotation({ scope: "platform" }, operator, db);
    await reencryptAll({ scope: "platform", keyVersion: started.keyVersion }, { db });
    const { rows } = await su.query<{ user_id: string; s: Buffer }>("SELECT user_id, totp_secret AS s FROM user_mfa WHERE user_id = ANY($1::uuid[])", [[owner, thief, garbled]]);
    const byUser = Object.fromEntries(rows.map((r) => [r.user_id, r.s]));
    expect(dataKeyVersionOf(byUser[owner]!)).toBe(started.keyVersion);
    expect((await openPlatformSecret({ table: "user_mfa", column: "totp_secret", rowId: owner }, byUser[owner]!, db)).toString()).toBe("JBSWY3DPEHPK3PXP");
    expect(Buffer.compare(byUser[thief]!, sealed)).toBe(0);
    expect(byUser[garbled]!.toString()).toBe("not an envelope at all");
  });

  it("re-seals a legacy TOTP secret onto the platform data key when the user's next code is accepted", async () => {
    const user = (await su.query<{ id: string }>("INSERT INTO users (email, name) VALUES ($1, 'Legacy') RETURNING id", [`legacy2-${randomUUID()}@example.test`])).rows[0]!.id;
    const secret = generateTotpSecret();
    const where = { table: "user_mfa", column: "totp_secret", rowId: user };
    const legacy = encryptField(Buffer.from(secret), where, masterKeyProvider(Buffer.from(getConfig().MASTER_KEY, "base64")));
    await su.query("INSERT INTO user_mfa (user_id, totp_secret, totp_enabled_at) VALUES ($1, $2, now())", [user, legacy]);
    const code = await totpCodeAt(secret, Math.floor(Date.now() / 1000));
    expect(await db.$transaction((tx) => verifySecondFactor(tx, user, { code }))).toEqual({ ok: true, method: "totp" });
    const { rows } = await su.query<{ s: Buffer }>("SELECT totp_secret AS s FROM user_mfa WHERE user_id = $1", [user]);
    expect(rows[0]!.s[0]).toBe(0x02);
    expect((await openPlatformSecret(where, rows[0]!.s, db)).toString()).toBe(secret);
  });
});

describe("the encrypted-column registry", () => {
  it("names real bytea columns with a uuid id column, and tenant_id wherever the scope is a tenant", async () => {
    for (const c of ENCRYPTED_COLUMNS) {
      const { rows } = await su.query<{ column_name: string; data_type: string }>(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        [c.table],
      );
      const type = Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
      expect(type[c.column], `${c.table}.${c.column}`).toBe("bytea");
      expect(type[c.idColumn], `${c.table}.${c.idColumn}`).toBe("uuid");
      if (c.scope === "tenant") expect(type.tenant_id, `${c.table}.tenant_id`).toBe("uuid");
    }
  });
});
