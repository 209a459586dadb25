import type pg from "pg";

/**
 * How to create one row of each tenant-owned table for tenant `tenantId`, as
 * superuser. The isolation suite refuses to pass while a table with tenant_id
 * has no entry here, so every new tenant table gets the per-table tests.
 */
export const TENANT_TABLE_FIXTURES: Record<
  string,
  (su: pg.Client, tenantId: string, n: number) => Promise<string>
> = {
  memberships: async (su, tenantId, n) => {
    const user = await su.query<{ id: string }>(
      "INSERT INTO users (email, name) VALUES ($1, 'Fixture') RETURNING id",
      [`fixture-${tenantId.slice(0, 8)}-${n}-${Date.now()}@example.test`],
    );
    const row = await su.query<{ id: string }>(
      "INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'viewer') RETURNING id",
      [tenantId, user.rows[0]!.id],
    );
    return row.rows[0]!.id;
  },
  audit_logs: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO audit_logs (tenant_id, action, actor_type, metadata) VALUES ($1, 'fixture.create', 'system', $2) RETURNING id",
      [tenantId, JSON.stringify({ n })],
    );
    return row.rows[0]!.id;
  },
};
