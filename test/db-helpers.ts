import pg from "pg";
import { createPrismaClient, type Db } from "../lib/db/client";
import { testEnv } from "./test-env";

/** A client connected as the application role (RLS applies), to the test database. */
export function appDb(max = 4): Db {
  return createPrismaClient({ connectionString: testEnv().DATABASE_URL!, max });
}

/**
 * A superuser connection to the test database: for arranging fixtures that
 * cross tenants and for reading the catalog. Never what the product uses.
 */
export async function superuser(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: testEnv().MIGRATION_DATABASE_URL! });
  await client.connect();
  return client;
}

/**
 * Tampers with rows as the superuser, with the append-only triggers switched
 * off (only a superuser can): `sql` may hold several statements separated by
 * `;`, run in one transaction with the same parameters.
 */
export async function tamperAsSuperuser(su: pg.Client, sql: string, params: unknown[] = []): Promise<void> {
  await su.query("BEGIN");
  try {
    await su.query("SET LOCAL session_replication_role = replica");
    for (const statement of sql.split(";").filter((x) => x.trim())) await su.query(statement, params);
    await su.query("COMMIT");
  } catch (err) {
    await su.query("ROLLBACK");
    throw err;
  }
}

/** Columns a test must fill to insert a row into a tenant table as superuser. */
export async function insertTenantWithMember(
  su: pg.Client,
  slug: string,
): Promise<{ tenantId: string; userId: string; membershipId: string; auditId: string }> {
  const tenant = await su.query<{ id: string }>(
    "INSERT INTO tenants (name, slug) VALUES ($1, $2) RETURNING id",
    [`Tenant ${slug}`, slug],
  );
  const tenantId = tenant.rows[0]!.id;
  const user = await su.query<{ id: string }>(
    "INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id",
    [`${slug}@example.test`, `User ${slug}`],
  );
  const userId = user.rows[0]!.id;
  const membership = await su.query<{ id: string }>(
    "INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner') RETURNING id",
    [tenantId, userId],
  );
  const audit = await su.query<{ id: string }>(
    "INSERT INTO audit_logs (tenant_id, action, actor_type) VALUES ($1, 'test.fixture', 'system') RETURNING id",
    [tenantId],
  );
  return { tenantId, userId, membershipId: membership.rows[0]!.id, auditId: audit.rows[0]!.id };
}
