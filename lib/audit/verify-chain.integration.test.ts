import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser, tamperAsSuperuser } from "../../test/db-helpers";
import { withTenant } from "../db/tenant-scope";
import { createCheckpoint } from "./checkpoints";
import { recordAudit } from "./record-audit";
import { verifyAuditChain, type VerifyOptions } from "./verify-chain";

/**
 * Verification reads pages and hashes them on a worker thread; a page that
 * does not join cleanly is checked again entry by entry. Whatever the page
 * size and wherever the break falls (first entry of a page, last one, a
 * checkpoint inside a page), the verdict is the one entry-by-entry checking
 * on this thread alone gives.
 */
describe("verifyAuditChain across pages and hashing threads", () => {
  const db = appDb(8);
  let su: pg.Client;
  const stamp = Date.now().toString(36);
  let n = 0;

  async function freshTenant(entries: number): Promise<string> {
    const t = await insertTenantWithMember(su, `vchain-${stamp}-${n++}`); // writes entry 1
    for (let i = 0; i < entries; i++) {
      await withTenant(t.tenantId, (tx) => recordAudit(tx, t.tenantId, {
        action: "key.update", actor: { type: "user", id: t.userId }, target: { type: "api_key", id: `k-${i}` },
        metadata: { i, before: { name: `old-${i}`, "é": [1e21, 0.1, null] }, after: { name: `new-${i}` } },
      }), db);
    }
    return t.tenantId;
  }
  const tamper = (sql: string, params: unknown[]) => tamperAsSuperuser(su, sql, params);
  const variants: VerifyOptions[] = [{}, { pageSize: 2 }, { pageSize: 3, readAhead: 1 }, { pageSize: 4, hashWorker: false }, { hashWorker: false }];
  async function verdicts(tenantId: string) {
    return Promise.all(variants.map((v) => verifyAuditChain(tenantId, { db, ...v })));
  }

  beforeAll(async () => {
    su = await superuser();
  });
  afterAll(async () => {
    await su.end();
    await db.$disconnect();
  });

  it("an intact chain with a checkpoint inside a page is valid on every page size", async () => {
    const tenantId = await freshTenant(6);
    await createCheckpoint(tenantId, { db }); // seq 7
    await withTenant(tenantId, (tx) => recordAudit(tx, tenantId, { action: "key.create", actor: { type: "system" } }), db);
    for (const r of await verdicts(tenantId)) expect(r).toMatchObject({ status: "valid", total: 8, valid: 8, broken: null });
  });

  it.each([
    ["an edited entry that opens a page", "UPDATE audit_logs SET metadata = '{\"forged\":true}' WHERE tenant_id = $1 AND seq = 5", { seq: 5, reason: "edited" }, 4],
    ["an edited entry that closes a page", "UPDATE audit_logs SET action = 'x.forged' WHERE tenant_id = $1 AND seq = 4", { seq: 4, reason: "edited" }, 3],
    ["a deleted entry at a page boundary", "DELETE FROM audit_logs WHERE tenant_id = $1 AND seq = 5", { seq: 5, reason: "deleted" }, 4],
    ["entries swapped across pages", "UPDATE audit_logs SET seq = 1000000 WHERE tenant_id = $1 AND seq = 3; UPDATE audit_logs SET seq = 3 WHERE tenant_id = $1 AND seq = 6; UPDATE audit_logs SET seq = 6 WHERE tenant_id = $1 AND seq = 1000000", { seq: 3, reason: "reordered" }, 2],
    ["an entry replaced by one that hashes right but links elsewhere", "UPDATE audit_logs SET prev_hash = repeat('a', 64) WHERE tenant_id = $1 AND seq = 5; UPDATE audit_logs a SET entry_hash = audit_entry_hash(a) WHERE tenant_id = $1 AND seq = 5", { seq: 4, reason: "edited" }, 4],
  ])("%s is named the same way on every page size, with and without the worker", async (_, sql, broken, valid) => {
    const tenantId = await freshTenant(6);
    await tamper(sql, [tenantId]);
    const results = await verdicts(tenantId);
    for (const r of results) expect(r).toMatchObject({ status: "broken", valid, broken });
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it("a rewritten entry that a checkpoint inside a page still signs", async () => {
    const tenantId = await freshTenant(4);
    await createCheckpoint(tenantId, { db }); // seq 5 signs entry 5's hash
    await withTenant(tenantId, (tx) => recordAudit(tx, tenantId, { action: "key.create", actor: { type: "system" } }), db);
    await tamper("UPDATE audit_logs SET action = 'x.rewritten' WHERE tenant_id = $1 AND seq = 5; UPDATE audit_logs a SET entry_hash = audit_entry_hash(a) WHERE tenant_id = $1 AND seq = 5; UPDATE audit_logs a SET prev_hash = (SELECT entry_hash FROM audit_logs WHERE tenant_id = $1 AND seq = 5) WHERE tenant_id = $1 AND seq = 6; UPDATE audit_logs a SET entry_hash = audit_entry_hash(a) WHERE tenant_id = $1 AND seq = 6", [tenantId]);
    const results = await verdicts(tenantId);
    for (const r of results) expect(r).toMatchObject({ status: "broken", valid: 4, broken: { seq: 5, reason: "edited" } });
  });
});
