import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE, testEnv } from "../../test/test-env";
import { createPrismaClient, type Db } from "../db/client";
import { listMigrations, migrate, OWNER_ROLE } from "../db/migrate";
import { withTenant } from "../db/tenant-scope";
import { recordAudit } from "./record-audit";
import { verifyAuditChain } from "./verify-chain";

const CHAIN_MIGRATION = "20261126050100_audit_chain";
const DATABASE = `${TEST_DATABASE}_upgrade`;
const urlFor = (base: string) => {
  const u = new URL(base);
  u.pathname = `/${DATABASE}`;
  return u.toString();
};

/**
 * A database migrated up to just before the audit chain, holding entries
 * written by the previous schema, then upgraded: the migration chains the
 * old rows, and verification passes from seq 1.
 */
describe("upgrading a database with audit entries from before the chain", () => {
  let su: pg.Client;
  let db: Db;
  const tenants: string[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: urlFor(testEnv().MIGRATION_DATABASE_URL!).replace(`/${DATABASE}`, "/postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${DATABASE}"`);
    await admin.end();
    su = new pg.Client({ connectionString: urlFor(testEnv().MIGRATION_DATABASE_URL!) });
    await su.connect();
    await su.query(`CREATE TABLE _prisma_migrations (
      id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz,
      migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,
      started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`);
    for (const m of listMigrations().filter((m) => m.name < CHAIN_MIGRATION)) {
      await su.query("BEGIN");
      if (!/^-- modelgate:run-as-migrator\b/m.test(m.sql)) await su.query(`SET LOCAL ROLE ${OWNER_ROLE}`);
      await su.query(m.sql);
      await su.query("RESET ROLE");
      await su.query("INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)", [randomUUID(), m.checksum, m.name]);
      await su.query("COMMIT");
    }
    for (const slug of ["legacy-a", "legacy-b"]) {
      const t = await su.query<{ id: string }>("INSERT INTO tenants (name, slug) VALUES ($1, $1) RETURNING id", [slug]);
      tenants.push(t.rows[0]!.id);
      for (let i = 0; i < 4; i++) {
        await su.query(
          `INSERT INTO audit_logs (tenant_id, action, actor_type, actor_id, target_type, target_id, ip, user_agent, request_id, metadata, created_at)
           VALUES ($1, 'member.role_change', 'user', $2, 'membership', $3, '198.51.100.7', 'Mozilla/5.0', $4, $5, now() - make_interval(mins => $6))`,
          [t.rows[0]!.id, randomUUID(), randomUUID(), `req-${i}`, JSON.stringify({ before: { role: "viewer" }, after: { role: "admin" }, n: i / 3 }), 10 - i],
        );
      }
    }
    await migrate(urlFor(testEnv().MIGRATION_DATABASE_URL!));
    db = createPrismaClient({ connectionString: urlFor(testEnv().DATABASE_URL!), max: 2 });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await su?.end();
  });

  it("chains the old entries per tenant in time order and verifies them from seq 1", async () => {
    for (const tenantId of tenants) {
      const rows = (await su.query("SELECT seq::int, request_id FROM audit_logs WHERE tenant_id = $1 ORDER BY seq", [tenantId])).rows;
      expect(rows).toEqual([0, 1, 2, 3].map((i) => ({ seq: i + 1, request_id: `req-${i}` })));
      expect(await verifyAuditChain(tenantId, { db })).toMatchObject({ status: "valid", total: 4, valid: 4, anchor: "genesis" });
    }
  });

  it("new entries continue the upgraded chain", async () => {
    await withTenant(tenants[0]!, (tx) => recordAudit(tx, tenants[0]!, { action: "key.create", actor: { type: "system", id: "upgrade-test" } }), db);
    expect(await verifyAuditChain(tenants[0]!, { db })).toMatchObject({ status: "valid", total: 5, lastSeq: 5 });
  });
});
