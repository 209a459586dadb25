import { generateKeyPairSync } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser, tamperAsSuperuser } from "../../test/db-helpers";
import { testEnv } from "../../test/test-env";
import { createPrismaClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { createCheckpoint } from "./checkpoints";
import { pruneAuditEntries } from "./prune";
import { recordAudit } from "./record-audit";
import { loadSigningKey, verificationKeys } from "./signing-key";
import { verifyAuditChain } from "./verify-chain";

const retentionUrl = () => {
  const u = new URL(testEnv().DATABASE_URL!);
  u.username = "modelgate_retention";
  return u.toString();
};

describe("audit hash chain", () => {
  const db = appDb(20);
  const retentionDb = createPrismaClient({ connectionString: retentionUrl(), max: 2 });
  let su: pg.Client;
  const stamp = Date.now().toString(36);
  let n = 0;

  async function freshTenant(entries = 0): Promise<string> {
    const t = await insertTenantWithMember(su, `chain-${stamp}-${n++}`); // writes entry 1 (as superuser)
    for (let i = 0; i < entries; i++) {
      await withTenant(t.tenantId, (tx) => recordAudit(tx, t.tenantId, {
        action: "key.update",
        actor: { type: "user", id: t.userId },
        target: { type: "api_key", id: `k-${i}` },
        ip: "203.0.113.9",
        userAgent: "vitest",
        requestId: `req-${i}`,
        metadata: { before: { name: `old-${i}` }, after: { name: `new-${i}` } },
      }), db);
    }
    return t.tenantId;
  }
  const tamper = (sql: string, params: unknown[]) => tamperAsSuperuser(su, sql, params);

  beforeAll(async () => {
    su = await superuser();
  });
  afterAll(async () => {
    await su.end();
    await db.$disconnect();
    await retentionDb.$disconnect();
  });

  it("links every entry: seq 1..n, prev_hash = previous entry_hash, and Node recomputes the database's hashes", async () => {
    const tenantId = await freshTenant(5);
    const rows = (await su.query("SELECT seq::int, prev_hash, entry_hash FROM audit_logs WHERE tenant_id = $1 ORDER BY seq", [tenantId])).rows;
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[0].prev_hash).toBe("0".repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].entry_hash);
    const result = await verifyAuditChain(tenantId, { db });
    expect(result).toMatchObject({ status: "valid", total: 6, valid: 6, firstSeq: 1, lastSeq: 6, broken: null });
  });

  it("hashes details exactly as RFC 8785 says (numbers, unicode, escapes, key order), in SQL and in Node alike", async () => {
    const tenantId = await freshTenant();
    const tricky = {
      z: 1, a: "é\u0001\n\"\\/", "€": [1e21, 1e-7, 0.1, -0.5, 123456789012345680000, 1.5e300, 5e-324, 100, -0],
      nested: { b: [true, false, null, {}], a: { "\u00e9": "x", e: "y" } }, emoji: "😀 \u2028", "": "empty key",
    };
    await withTenant(tenantId, (tx) => recordAudit(tx, tenantId, { action: "x.tricky", actor: { type: "system", id: "t" }, metadata: tricky }), db);
    expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "valid", valid: 2 });
  });

  it("never forks under many concurrent writers, and keeps tenants' chains apart", async () => {
    const tenants = await Promise.all([freshTenant(), freshTenant(), freshTenant()]);
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        // withTenant's scoping, with patience for the pool: writers of one tenant queue at its chain lock.
        db.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenants[i % 3]!}, true)`;
          await recordAudit(tx, tenants[i % 3]!, { action: "load.write", actor: { type: "system", id: `w${i}` }, metadata: { i } });
          await recordAudit(tx, tenants[i % 3]!, { action: "load.write2", actor: { type: "system", id: `w${i}` } });
        }, { maxWait: 60_000, timeout: 60_000 }),
      ),
    );
    for (const t of tenants) {
      const seqs = (await su.query("SELECT seq::int FROM audit_logs WHERE tenant_id = $1 ORDER BY seq", [t])).rows.map((r) => r.seq);
      expect(seqs).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
      expect(await verifyAuditChain(t, { db, pageSize: 17 })).toMatchObject({ status: "valid", valid: 41, total: 41 });
    }
  });

  it("verifies a time range on its own, linked to the entry before it", async () => {
    const tenantId = await freshTenant(2);
    const from = new Date(Date.now() + 5);
    await new Promise((r) => setTimeout(r, 20));
    await withTenant(tenantId, (tx) => recordAudit(tx, tenantId, { action: "key.create", actor: { type: "system" } }), db);
    await withTenant(tenantId, (tx) => recordAudit(tx, tenantId, { action: "key.revoke", actor: { type: "system" } }), db);
    expect(await verifyAuditChain(tenantId, { db, from })).toMatchObject({ status: "valid", anchor: "range", total: 2, firstSeq: 4, lastSeq: 5 });
    expect(await verifyAuditChain(tenantId, { db, from: new Date(Date.now() + 60_000) })).toMatchObject({ status: "empty", total: 0 });
  });

  it("a rolled-back change leaves no entry and no gap", async () => {
    const tenantId = await freshTenant(1);
    await expect(withTenant(tenantId, async (tx) => {
      await recordAudit(tx, tenantId, { action: "key.create", actor: { type: "system" } });
      throw new Error("change failed");
    }, db)).rejects.toThrow("change failed");
    await freshTenantEntry(tenantId);
    expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "valid", total: 3, lastSeq: 3 });
  });
  const freshTenantEntry = (tenantId: string) =>
    withTenant(tenantId, (tx) => recordAudit(tx, tenantId, { action: "key.revoke", actor: { type: "system" } }), db);

  it("refuses an entry that does not continue the chain or is not dated now, and never stores a secret in details", async () => {
    const tenantId = await freshTenant();
    const forged = (data: Record<string, unknown>) =>
      withTenant(tenantId, (tx) => tx.auditLog.create({ data: { tenantId, action: "x.forge", actorType: "system", seq: 2n, prevHash: "f".repeat(64), entryHash: "e".repeat(64), ...data } }), db);
    await expect(forged({ seq: 99n })).rejects.toThrow(/does not continue its chain/);
    await expect(forged({})).rejects.toThrow(/does not continue its chain/); // wrong prev_hash
    const head = (await su.query("SELECT entry_hash FROM audit_logs WHERE tenant_id = $1 AND seq = 1", [tenantId])).rows[0].entry_hash;
    await expect(forged({ prevHash: head, createdAt: new Date("2001-01-01T00:00:00Z") })).rejects.toThrow(/is not now|its time is not now/);
    // Linked, but with a hash that is not the entry's: the database cannot tell, verification does.
    await forged({ prevHash: head });
    expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "broken", broken: { seq: 2, reason: "edited" } });

    const clean = await freshTenant();
    await withTenant(clean, (tx) => recordAudit(tx, clean, {
      action: "model.update", actor: { type: "system" },
      metadata: { before: { backendCredential: "sk-live-1", name: "a" }, after: { password: "hunter2", apiKey: "mgk_x", name: "b" } },
    }), db);
    const rows = (await su.query("SELECT metadata FROM audit_logs WHERE tenant_id = $1 ORDER BY seq", [clean])).rows;
    expect(JSON.stringify(rows[1].metadata)).not.toMatch(/sk-live-1|hunter2|mgk_x/);
    expect(rows[1].metadata).toMatchObject({ before: { name: "a", backendCredential: "[redacted]" }, after: { name: "b" } });
    expect(await verifyAuditChain(clean, { db })).toMatchObject({ status: "valid", valid: 2 });
  });

  describe("the application role cannot change the trail", () => {
    let app: pg.Client;
    beforeAll(async () => {
      app = new pg.Client({ connectionString: testEnv().DATABASE_URL });
      await app.connect();
    });
    afterAll(() => app.end());

    for (const [what, sql] of [
      ["UPDATE", "UPDATE audit_logs SET action = 'x.edited' WHERE tenant_id = $1"],
      ["DELETE", "DELETE FROM audit_logs WHERE tenant_id = $1"],
      ["TRUNCATE", "TRUNCATE audit_logs"],
      ["UPDATE of a checkpoint", "UPDATE audit_checkpoints SET seq = seq WHERE tenant_id = $1"],
      ["DELETE of a checkpoint", "DELETE FROM audit_checkpoints WHERE tenant_id = $1"],
    ] as const) {
      it(`refuses ${what}`, async () => {
        const tenantId = await freshTenant(2);
        await createCheckpoint(tenantId, { db });
        await app.query("BEGIN");
        await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
        const err = await app.query(sql, sql.includes("$1") ? [tenantId] : []).then(() => null, (e: { code?: string }) => e);
        await app.query("ROLLBACK");
        expect(err?.code).toBe("42501");
        expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "valid", total: 3 });
      });
    }

    it("and the trigger refuses UPDATE and DELETE even to the owner of the table", async () => {
      const tenantId = await freshTenant(1);
      for (const sql of ["UPDATE audit_logs SET action = 'x' WHERE tenant_id = $1", "DELETE FROM audit_logs WHERE tenant_id = $1"]) {
        await su.query("BEGIN");
        await su.query("SET LOCAL ROLE modelgate_owner");
        await su.query("ALTER TABLE audit_logs NO FORCE ROW LEVEL SECURITY");
        const err = await su.query(sql, [tenantId]).then(() => null, (e: Error) => e);
        await su.query("ROLLBACK");
        expect(err?.message).toMatch(/append-only/);
      }
    });
  });

  describe("verification names the first broken entry (tampering as the superuser)", () => {
    it("an edited field", async () => {
      const tenantId = await freshTenant(4);
      await tamper("UPDATE audit_logs SET metadata = '{\"after\":{\"name\":\"forged\"}}' WHERE tenant_id = $1 AND seq = 3", [tenantId]);
      expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "broken", total: 5, valid: 2, broken: { seq: 3, reason: "edited" } });
    });

    it("a deleted entry in the middle", async () => {
      const tenantId = await freshTenant(4);
      await tamper("DELETE FROM audit_logs WHERE tenant_id = $1 AND seq = 3", [tenantId]);
      expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "broken", total: 4, valid: 2, broken: { seq: 3, reason: "deleted" } });
    });

    it("two entries that swapped places", async () => {
      const tenantId = await freshTenant(4);
      await tamper("UPDATE audit_logs SET seq = 1000000 WHERE tenant_id = $1 AND seq = 2; UPDATE audit_logs SET seq = 2 WHERE tenant_id = $1 AND seq = 4; UPDATE audit_logs SET seq = 4 WHERE tenant_id = $1 AND seq = 1000000", [tenantId]);
      expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "broken", valid: 1, broken: { seq: 2, reason: "reordered" } });
    });

    it("a tail removed after a signed checkpoint", async () => {
      const tenantId = await freshTenant(4);
      await createCheckpoint(tenantId, { db });
      await tamper("DELETE FROM audit_logs WHERE tenant_id = $1 AND seq >= 4", [tenantId]);
      expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "broken", total: 3, valid: 3, broken: { seq: 4, reason: "truncated" } });
    });

    it("a whole rewritten chain (hashes recomputed) against its checkpoint", async () => {
      const tenantId = await freshTenant(2);
      await createCheckpoint(tenantId, { db });
      await tamper("UPDATE audit_logs SET action = 'x.rewritten' WHERE tenant_id = $1 AND seq = 3; UPDATE audit_logs a SET entry_hash = audit_entry_hash(a) WHERE tenant_id = $1 AND seq = 3", [tenantId]);
      expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "broken", broken: { seq: 3, reason: "edited" } });
    });

    it("a forged checkpoint signature", async () => {
      const tenantId = await freshTenant(1);
      await createCheckpoint(tenantId, { db });
      await tamper("UPDATE audit_checkpoints SET signature = $2 WHERE tenant_id = $1", [tenantId, Buffer.alloc(64).toString("base64")]);
      expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "broken", broken: { reason: "bad_checkpoint" } });
    });

    it("checkpoints signed by a rotated-out key verify only while its public key is listed", async () => {
      const tenantId = await freshTenant(1);
      const oldKey = loadSigningKey(generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"));
      await createCheckpoint(tenantId, { db, key: oldKey });
      await withTenant(tenantId, (tx) => recordAudit(tx, tenantId, { action: "key.create", actor: { type: "system" } }), db);
      await createCheckpoint(tenantId, { db }); // the current key
      const spki = oldKey.publicKey.export({ type: "spki", format: "der" }).toString("base64");
      expect(await verifyAuditChain(tenantId, { db, keys: verificationKeys(undefined, spki) })).toMatchObject({ status: "valid", checkpoints: { total: 2 } });
      expect(await verifyAuditChain(tenantId, { db, keys: verificationKeys(undefined, "") })).toMatchObject({
        status: "broken",
        broken: { seq: 2, reason: "bad_checkpoint", message: expect.stringContaining(oldKey.keyId) },
      });
    });

    it("a tenant with no entries is reported empty", async () => {
      const t = await su.query("INSERT INTO tenants (name, slug) VALUES ('Empty', $1) RETURNING id", [`chain-empty-${stamp}`]);
      expect(await verifyAuditChain(t.rows[0].id, { db })).toMatchObject({ status: "empty", total: 0, valid: 0 });
    });
  });

  describe("retention", () => {
    it("removes only a prefix below the newest checkpoint older than the cutoff, and the chain still verifies", async () => {
      const tenantId = await freshTenant(5);
      expect(await pruneAuditEntries(tenantId, new Date(Date.now() + 60_000), 100, retentionDb)).toBe(0); // no checkpoint yet
      await createCheckpoint(tenantId, { db }); // covers seq 6
      await withTenant(tenantId, (tx) => recordAudit(tx, tenantId, { action: "key.create", actor: { type: "system" } }), db);
      expect(await pruneAuditEntries(tenantId, new Date(Date.now() - 3_600_000), 100, retentionDb)).toBe(0); // checkpoint not old enough
      expect(await pruneAuditEntries(tenantId, new Date(Date.now() + 60_000), 2, retentionDb)).toBe(2); // seq 1-2
      expect(await pruneAuditEntries(tenantId, new Date(Date.now() + 60_000), 100, retentionDb)).toBe(3); // seq 3-5, keeps 6
      const seqs = (await su.query("SELECT seq::int FROM audit_logs WHERE tenant_id = $1 ORDER BY seq", [tenantId])).rows.map((r) => r.seq);
      expect(seqs).toEqual([6, 7]);
      expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "valid", anchor: "checkpoint", total: 2, valid: 2, firstSeq: 6 });
    });

    it("the retention role cannot delete past the checkpoint or out of order, nor update", async () => {
      const tenantId = await freshTenant(4);
      await createCheckpoint(tenantId, { db }); // seq 5
      const r = new pg.Client({ connectionString: retentionUrl() });
      await r.connect();
      try {
        for (const sql of [
          "DELETE FROM audit_logs WHERE tenant_id = $1 AND seq = 5",
          "DELETE FROM audit_logs WHERE tenant_id = $1 AND seq = 3",
          "UPDATE audit_logs SET action = 'x' WHERE tenant_id = $1",
        ]) {
          await r.query("BEGIN");
          await r.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
          const err = await r.query(sql, [tenantId]).then(() => null, (e: { code?: string }) => e);
          await r.query("ROLLBACK");
          expect(err?.code, sql).toBe("42501");
        }
      } finally {
        await r.end();
      }
      expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "valid", total: 5 });
    });
  });
});
