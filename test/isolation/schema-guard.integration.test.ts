import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ROLE, OWNER_ROLE } from "../../lib/db/migrate";
import { superuser } from "../db-helpers";

/**
 * Schema-wide guard: reads the live catalog, so every table a later migration
 * adds is checked without anyone remembering to add it here.
 */
describe("schema-wide tenant isolation guard", () => {
  let su: pg.Client;
  beforeAll(async () => {
    su = await superuser();
  });
  afterAll(async () => {
    await su.end();
  });

  it("every table with a tenant_id column has ENABLE and FORCE row-level security", async () => {
    const { rows } = await su.query<{ table: string; enabled: boolean; forced: boolean }>(`
      SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const unprotected = rows.filter((r) => !r.enabled || !r.forced).map((r) => r.table);
    expect(unprotected, "tables with tenant_id lacking ENABLE+FORCE RLS").toEqual([]);
  });

  it("every such table has a policy for all commands binding tenant_id to app.tenant_id, in USING and WITH CHECK", async () => {
    const { rows } = await su.query<{ table: string; ok: boolean }>(`
      SELECT c.relname AS table,
             bool_or(p.polcmd = '*'
                     AND pg_get_expr(p.polqual, p.polrelid) LIKE '%tenant_id = (NULLIF(current_setting(''app.tenant_id''::text, true), ''''::text))::uuid%'
                     AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%tenant_id = (NULLIF(current_setting(''app.tenant_id''::text, true), ''''::text))::uuid%'
                     AND p.polpermissive) AS ok
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
      LEFT JOIN pg_policy p ON p.polrelid = c.oid
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      GROUP BY c.relname`);
    const missing = rows.filter((r) => !r.ok).map((r) => r.table);
    expect(missing, "tables with tenant_id lacking a tenant_isolation policy").toEqual([]);
  });

  it("no other policy lets a write through without the tenant check", async () => {
    const { rows } = await su.query<{ table: string; policy: string; cmd: string }>(`
      SELECT c.relname AS table, p.polname AS policy, p.polcmd::text AS cmd
      FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
      WHERE p.polcmd <> 'r'
        AND coalesce(pg_get_expr(p.polwithcheck, p.polrelid), pg_get_expr(p.polqual, p.polrelid)) NOT LIKE '%current_setting(''app.tenant_id''%'`);
    expect(rows, "write policies that do not check app.tenant_id").toEqual([]);
  });

  it("the application role is neither superuser nor BYPASSRLS, and owns nothing", async () => {
    const role = await su.query<{ rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>(
      "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1",
      [APP_ROLE],
    );
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false }]);
    const owned = await su.query(
      `SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
       WHERE r.rolname = $1`,
      [APP_ROLE],
    );
    expect(owned.rows, "objects owned by the application role").toEqual([]);
    const member = await su.query(
      `SELECT r.rolname FROM pg_auth_members m
       JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
       WHERE u.rolname = $1`,
      [APP_ROLE],
    );
    expect(member.rows, "roles the application role inherits").toEqual([]);
  });

  it("every table of the product is owned by the owner role (migrations ran as it)", async () => {
    const { rows } = await su.query<{ table: string; owner: string }>(`
      SELECT c.relname AS table, r.rolname AS owner
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = c.relowner
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> '_prisma_migrations'`);
    expect(rows.filter((r) => r.owner !== OWNER_ROLE)).toEqual([]);
  });

  it("every view runs with security_invoker, so RLS of its tables applies to the caller", async () => {
    const { rows } = await su.query<{ view: string }>(`
      SELECT c.relname AS view FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'v'
        AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false)
        AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=on'], false)`);
    expect(rows, "views without security_invoker").toEqual([]);
  });

  it("no SECURITY DEFINER function can run as the owner on behalf of the application role", async () => {
    const { rows } = await su.query<{ fn: string }>(`
      SELECT p.proname AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.prosecdef`);
    expect(rows).toEqual([]);
  });

  it("the audit trail is append-only for the application role", async () => {
    const { rows } = await su.query<{ table: string; privilege: string }>(`
      SELECT table_name AS table, privilege_type AS privilege FROM information_schema.role_table_grants
      WHERE grantee = '${APP_ROLE}' AND table_name IN ('audit_logs', 'platform_audit_logs')
        AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')`);
    expect(rows).toEqual([]);
  });
});
