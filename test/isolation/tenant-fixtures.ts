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
  models: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO models (tenant_id, name, protocol, backend_url) VALUES ($1, $2, 'openai', 'http://127.0.0.1:9/v1') RETURNING id",
      [tenantId, `fixture-model-${n}`],
    );
    return row.rows[0]!.id;
  },
  api_keys: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO api_keys (tenant_id, name, scopes, created_by_type) VALUES ($1, $2, '{inference}', 'system') RETURNING id",
      [tenantId, `fixture-key-${n}`],
    );
    return row.rows[0]!.id;
  },
  api_key_secrets: async (su, tenantId, n) => {
    const key = await TENANT_TABLE_FIXTURES.api_keys!(su, tenantId, n);
    const row = await su.query<{ id: string }>(
      "INSERT INTO api_key_secrets (tenant_id, key_id, generation, hash, display_prefix) VALUES ($1, $2, 1, decode(md5(random()::text) || md5(random()::text), 'hex'), 'mgk_fixture') RETURNING id",
      [tenantId, key],
    );
    return row.rows[0]!.id;
  },
  security_events: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO security_events (tenant_id, request_id, code, status, method, path) VALUES ($1, $2, 'invalid_api_key', 401, 'POST', '/v1/chat/completions') RETURNING id",
      [tenantId, `fixture-${tenantId}-${n}`],
    );
    return row.rows[0]!.id;
  },
  invitations: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO invitations (tenant_id, email, role, token_hash, expires_at) VALUES ($1, $2, 'viewer', decode(md5(random()::text) || md5(random()::text), 'hex'), now() + interval '1 day') RETURNING id",
      [tenantId, `invitee-${n}@example.test`],
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
