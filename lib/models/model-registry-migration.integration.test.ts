import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrations, OWNER_ROLE } from "../db/migrate";
import { testEnv } from "../../test/test-env";

/**
 * The registry migration keeps existing data working: every model row of the
 * first registry shape becomes a model with one version "v1" (its backend
 * URL, timeout and concurrency limit), which is its default.
 */
const MIGRATION = "20261126031000_model_registry";

describe(`migration ${MIGRATION}`, () => {
  const base = new URL(testEnv().MIGRATION_DATABASE_URL!);
  const scratch = `${decodeURIComponent(base.pathname.slice(1))}_registry_mig`;
  const url = new URL(base);
  url.pathname = `/${scratch}`;
  let admin: pg.Client;
  let db: pg.Client;

  async function apply(name: string, sql: string) {
    await db.query("BEGIN");
    if (!/^-- modelgate:run-as-migrator\b/m.test(sql)) await db.query(`SET LOCAL ROLE ${OWNER_ROLE}`);
    try {
      await db.query(sql);
      await db.query("COMMIT");
    } catch (err) {
      await db.query("ROLLBACK");
      throw new Error(`${name}: ${(err as Error).message}`);
    }
  }

  beforeAll(async () => {
    const adminUrl = new URL(base);
    adminUrl.pathname = "/postgres";
    admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${scratch}"`);
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await admin?.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
    await admin?.end();
  });

  it("moves every existing model into a default version v1, and the old columns go", async () => {
    const all = listMigrations();
    const at = all.findIndex((m) => m.name === MIGRATION);
    expect(at).toBeGreaterThan(0);
    for (const m of all.slice(0, at)) await apply(m.name, m.sql);

    const tenant = (await db.query<{ id: string }>("INSERT INTO tenants (name, slug) VALUES ('Old', 'old') RETURNING id")).rows[0]!.id;
    await db.query(
      `INSERT INTO models (tenant_id, name, protocol, backend_url, timeout_ms, max_concurrency, enabled)
       VALUES ($1, 'echo', 'openai', 'http://127.0.0.1:8090/v1', 1234, 7, true),
              ($1, 'echo-kserve', 'kserve-v2', 'http://127.0.0.1:8090', 30000, 16, false)`,
      [tenant],
    );

    await apply(MIGRATION, all[at]!.sql);

    const { rows } = await db.query(
      `SELECT m.name, m.protocol, m.enabled, m.visibility, m.canary_version_id, v.label, v.backend_url, v.timeout_ms, v.max_concurrency, v.credential_kind
       FROM models m JOIN model_versions v ON v.id = m.default_version_id AND v.model_id = m.id ORDER BY m.name`,
    );
    expect(rows).toEqual([
      { name: "echo", protocol: "openai", enabled: true, visibility: "private", canary_version_id: null, label: "v1", backend_url: "http://127.0.0.1:8090/v1", timeout_ms: 1234, max_concurrency: 7, credential_kind: null },
      { name: "echo-kserve", protocol: "kserve-v2", enabled: false, visibility: "private", canary_version_id: null, label: "v1", backend_url: "http://127.0.0.1:8090", timeout_ms: 30000, max_concurrency: 16, credential_kind: null },
    ]);
    const columns = (await db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'models'")).rows.map((r) => r.column_name);
    expect(columns).not.toContain("backend_url");
    // Row-level security is forced again on models after the move.
    expect((await db.query("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'models'")).rows[0]).toEqual({ relforcerowsecurity: true });
  });
});
