import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../lib/db/tenant-scope";
import { appDb, superuser } from "../db-helpers";
import { testEnv } from "../test-env";
import { TENANT_TABLE_FIXTURES } from "./tenant-fixtures";

const RLS_VIOLATION = "42501"; // also "permission denied" for tables without the grant

async function tenantTables(su: pg.Client): Promise<string[]> {
  const { rows } = await su.query<{ table: string }>(`
    SELECT c.relname AS table FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`);
  return rows.map((r) => r.table);
}

/** Runs `fn` as the application role inside a transaction scoped to `tenantId` (or none). */
async function asApp<T>(app: pg.Client, tenantId: string | null, fn: () => Promise<T>): Promise<T> {
  await app.query("BEGIN");
  try {
    if (tenantId) await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    return await fn();
  } finally {
    await app.query("ROLLBACK");
  }
}

/** A statement the database must refuse (RLS or missing grant) or that must touch nothing. */
async function refusedOrNoop(app: pg.Client, sql: string, params: unknown[]): Promise<"refused" | number> {
  await app.query("SAVEPOINT attempt");
  try {
    const res = await app.query(sql, params);
    await app.query("RELEASE SAVEPOINT attempt");
    return res.rowCount ?? 0;
  } catch (err) {
    await app.query("ROLLBACK TO SAVEPOINT attempt");
    expect((err as { code?: string }).code).toBe(RLS_VIOLATION);
    return "refused";
  }
}

describe("tenant isolation, table by table", async () => {
  const su = await superuser();
  const tables = await tenantTables(su);
  const app = new pg.Client({ connectionString: testEnv().DATABASE_URL });
  const ids: Record<string, { a: string; b: string }> = {};
  let tenantA = "";
  let tenantB = "";

  beforeAll(async () => {
    await app.connect();
    const stamp = Date.now().toString(36);
    tenantA = (await su.query("INSERT INTO tenants (name, slug) VALUES ('A', $1) RETURNING id", [`iso-a-${stamp}`])).rows[0].id;
    tenantB = (await su.query("INSERT INTO tenants (name, slug) VALUES ('B', $1) RETURNING id", [`iso-b-${stamp}`])).rows[0].id;
    for (const table of tables) {
      const fixture = TENANT_TABLE_FIXTURES[table];
      if (!fixture) continue;
      ids[table] = { a: await fixture(su, tenantA, 1), b: await fixture(su, tenantB, 2) };
    }
  });

  afterAll(async () => {
    await app.end();
    await su.end();
  });

  it("knows how to build a row of every table that has tenant_id", () => {
    const missing = tables.filter((t) => !TENANT_TABLE_FIXTURES[t]);
    expect(missing, "add these tables to test/isolation/tenant-fixtures.ts").toEqual([]);
  });

  describe.each(tables)("%s", (table) => {
    it("reads empty when no tenant is set", async () => {
      const all = await su.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(all.rows[0].n).toBeGreaterThan(0);
      const seen = await asApp(app, null, () => app.query(`SELECT count(*)::int AS n FROM ${table}`));
      expect(seen.rows[0].n).toBe(0);
    });

    it("shows tenant A its own rows and none of B's, even by id", async () => {
      const { a, b } = ids[table]!;
      await asApp(app, tenantA, async () => {
        const own = await app.query(`SELECT id, tenant_id FROM ${table}`);
        expect(own.rows.map((r) => r.id)).toContain(a);
        expect(new Set(own.rows.map((r) => r.tenant_id))).toEqual(new Set([tenantA]));
        const byId = await app.query(`SELECT id FROM ${table} WHERE id = $1`, [b]);
        expect(byId.rowCount).toBe(0);
      });
    });

    it("lets tenant A neither update nor delete B's rows", async () => {
      const { b } = ids[table]!;
      await asApp(app, tenantA, async () => {
        const updated = await refusedOrNoop(app, `UPDATE ${table} SET tenant_id = tenant_id WHERE id = $1`, [b]);
        expect(updated === "refused" || updated === 0).toBe(true);
        const deleted = await refusedOrNoop(app, `DELETE FROM ${table} WHERE id = $1`, [b]);
        expect(deleted === "refused" || deleted === 0).toBe(true);
      });
      const still = await su.query(`SELECT tenant_id FROM ${table} WHERE id = $1`, [b]);
      expect(still.rows).toEqual([{ tenant_id: tenantB }]);
    });

    it("refuses to move A's row to B, or to insert a row under B's id", async () => {
      const { a } = ids[table]!;
      const countUnderB = async () =>
        (await su.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantB])).rows[0].n as number;
      const before = await countUnderB();
      await asApp(app, tenantA, async () => {
        expect(await refusedOrNoop(app, `UPDATE ${table} SET tenant_id = $2 WHERE id = $1`, [a, tenantB])).toBe("refused");
        // Copy A's own row (which A may read), give it a new id and B's tenant_id.
        const copy = await refusedOrNoop(
          app,
          `INSERT INTO ${table} SELECT (json_populate_record(NULL::${table},
             (row_to_json(t)::jsonb || jsonb_build_object('id', gen_random_uuid(), 'tenant_id', $2::uuid))::json)).*
           FROM ${table} t WHERE id = $1`,
          [a, tenantB],
        );
        expect(copy).toBe("refused");
      });
      expect(await countUnderB()).toBe(before);
    });
  });

  it("a pool of one connection alternating tenants leaks nothing between them", async () => {
    const db = appDb(1);
    try {
      for (let i = 0; i < 10; i++) {
        for (const tenant of [tenantA, tenantB]) {
          const rows = await withTenant(tenant, (tx) => tx.auditLog.findMany({ select: { tenantId: true } }), db);
          expect(rows.length).toBeGreaterThan(0);
          expect(rows.every((r) => r.tenantId === tenant)).toBe(true);
        }
        // The setting is transaction-local: outside a scope the same connection sees nothing.
        expect(await db.membership.count()).toBe(0);
      }
      await expect(
        withTenant(tenantA, async () => {
          throw new Error("boom");
        }, db),
      ).rejects.toThrow("boom");
      expect(await db.auditLog.count()).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });
});
