import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDb, insertTenantWithMember, superuser } from "../../test/db-helpers";
import { withTenant } from "../db/tenant-scope";
import { exportAuditEntries } from "./export-entries";
import { recordAuditEntries } from "./record-audit";

describe("audit export stream", () => {
  const db = appDb(2);
  let su: pg.Client;
  let tenantId = "";
  beforeAll(async () => {
    su = await superuser();
    tenantId = (await insertTenantWithMember(su, `export-${Date.now().toString(36)}`)).tenantId;
    const entries = Array.from({ length: 1_199 }, (_, i) => ({ action: i % 2 ? "key.update" : "key.create", actor: { type: "system" as const, id: "x" }, metadata: { i } }));
    await withTenant(tenantId, (tx) => recordAuditEntries(tx, tenantId, entries), db);
  });
  afterAll(async () => {
    await su.end();
    await db.$disconnect();
  });

  it("reads page by page only as the consumer pulls, oldest first, and stops when it is cancelled", async () => {
    const reader = exportAuditEntries(tenantId, {}, "jsonl", { db, pageSize: 100 }).getReader();
    const first = await reader.read();
    const lines = new TextDecoder().decode(first.value).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1)); // one page, not the range
    await reader.cancel();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
  });

  it("streams the whole filtered range in pages (1,200 entries, pages of 500 → 3 chunks) as CSV", async () => {
    const chunks: string[] = [];
    const reader = exportAuditEntries(tenantId, { action: "key.*" }, "csv", { db, pageSize: 500 }).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(new TextDecoder().decode(r.value));
    expect(chunks).toHaveLength(1 + 3); // header, then one chunk per page
    const rows = chunks.join("").trim().split("\r\n");
    expect(rows).toHaveLength(1 + 1_199);
    expect(rows[1]!.startsWith("2,")).toBe(true); // seq 1 is the fixture's test.fixture entry, filtered out
  });
});
