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
      "INSERT INTO models (tenant_id, name, protocol) VALUES ($1, $2, 'openai') RETURNING id",
      [tenantId, `fixture-model-${n}`],
    );
    return row.rows[0]!.id;
  },
  model_versions: async (su, tenantId, n) => {
    const model = await TENANT_TABLE_FIXTURES.models!(su, tenantId, 100 + n);
    const row = await su.query<{ id: string }>(
      "INSERT INTO model_versions (tenant_id, model_id, label, backend_url, credential_kind, credential_secret) VALUES ($1, $2, 'v1', 'http://127.0.0.1:9/v1', 'bearer', '\\x01') RETURNING id",
      [tenantId, model],
    );
    return row.rows[0]!.id;
  },
  // The grantee's row. The granted model belongs to a third tenant and stays
  // private, so the grant gives tenantId no read of it (policy grantee_read
  // needs visibility 'shared'): every other table's isolation checks still hold.
  model_grants: async (su, tenantId, n) => {
    const owner = await su.query<{ id: string }>(
      "INSERT INTO tenants (name, slug) VALUES ('Grant owner', $1) RETURNING id",
      [`grant-owner-${tenantId.slice(0, 8)}-${n}-${Date.now().toString(36)}`],
    );
    const model = await TENANT_TABLE_FIXTURES.models!(su, owner.rows[0]!.id, 200 + n);
    const row = await su.query<{ id: string }>(
      "INSERT INTO model_grants (tenant_id, owner_tenant_id, model_id, created_by_type) VALUES ($1, $2, $3, 'system') RETURNING id",
      [tenantId, owner.rows[0]!.id, model],
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
  usage_events: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO usage_events (tenant_id, request_id, key_id, route, model, status, latency_ms, occurred_at) VALUES ($1, $2, gen_random_uuid(), 'chat', 'echo', 200, 12, now()) RETURNING id",
      [tenantId, `fixture-${tenantId}-${n}`],
    );
    return row.rows[0]!.id;
  },
  usage_rollups: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO usage_rollups (tenant_id, granularity, bucket_start, key_id, model, status_class, requests) VALUES ($1, 'hour', date_trunc('hour', now()), gen_random_uuid(), $2, '2xx', 1) RETURNING id",
      [tenantId, `fixture-model-${n}`],
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
  retention_policies: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO retention_policies (tenant_id, data_class, retention_days) VALUES ($1, 'usage_events', $2) RETURNING id",
      [tenantId, 30 + n],
    );
    return row.rows[0]!.id;
  },
  retention_runs: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO retention_runs (tenant_id, run_key, data_class, trigger, status, retention_days, cutoff) VALUES ($1, $2, 'usage_events', 'manual', 'succeeded', 30, now()) RETURNING id",
      [tenantId, `fixture-${n}`],
    );
    return row.rows[0]!.id;
  },
  tenant_quotas: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO tenant_quotas (tenant_id, period, requests_limit) VALUES ($1, 'month', $2) RETURNING id",
      [tenantId, 1000 + n],
    );
    return row.rows[0]!.id;
  },
  quota_periods: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO quota_periods (tenant_id, period, period_key, starts_at, ends_at, requests) VALUES ($1, 'day', $2, now() - interval '1 day', now(), 5) RETURNING id",
      [tenantId, `2020-01-${String(n).padStart(2, "0")}`],
    );
    return row.rows[0]!.id;
  },
  webhook_endpoints: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO webhook_endpoints (tenant_id, url, secret_ciphertext, secret_prefix) VALUES ($1, $2, '\\x01', 'whsec_fix') RETURNING id",
      [tenantId, `https://hooks.example.test/${n}`],
    );
    return row.rows[0]!.id;
  },
  webhook_deliveries: async (su, tenantId, n) => {
    const endpoint = await TENANT_TABLE_FIXTURES.webhook_endpoints!(su, tenantId, 100 + n);
    const row = await su.query<{ id: string }>(
      "INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, payload) VALUES ($1, $2, $3, 'webhook.test', '{}') RETURNING id",
      [tenantId, endpoint, `msg_fixture_${n}`],
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
  // lib/audit/checkpoints.ts: a signed chain head (the signature need not verify here).
  audit_checkpoints: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO audit_checkpoints (tenant_id, seq, entry_hash, signed_at, key_id, signature) VALUES ($1, $2, repeat('a', 64), now(), 'fixture', 'fixture') RETURNING id",
      [tenantId, 1000 + n],
    );
    return row.rows[0]!.id;
  },
  // lib/crypto/data-keys.ts: a tenant's wrapped data key (bytes need not unwrap here).
  tenant_data_keys: async (su, tenantId, n) => {
    const row = await su.query<{ id: string }>(
      "INSERT INTO tenant_data_keys (tenant_id, key_version, wrapped_key, kek_id) VALUES ($1, $2, decode(repeat('ab', 60), 'hex'), 'fixture0') RETURNING id",
      [tenantId, n],
    );
    return row.rows[0]!.id;
  },
};
