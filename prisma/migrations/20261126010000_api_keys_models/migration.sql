-- API keys, the first shape of the model registry, and the gateway's security log.

-- Tenant-wide gateway settings live on the tenant row (global table).
ALTER TABLE tenants
  ADD COLUMN ip_allowlist text[] NOT NULL DEFAULT '{}', -- empty: any address
  ADD COLUMN redis_failure_mode text NOT NULL DEFAULT 'closed' CHECK (redis_failure_mode IN ('closed', 'open')),
  ADD COLUMN max_body_bytes integer NOT NULL DEFAULT 1048576 CHECK (max_body_bytes BETWEEN 1024 AND 67108864),
  ADD COLUMN rate_limit_requests integer CHECK (rate_limit_requests > 0),
  ADD COLUMN rate_limit_window_seconds integer CHECK (rate_limit_window_seconds BETWEEN 1 AND 86400);

-- A model backend a tenant's keys may call (the model-registry issue adds
-- versions, credentials, traffic splits and grants of shared models).
CREATE TABLE models (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
  protocol    text NOT NULL CHECK (protocol IN ('openai', 'kserve-v2')),
  backend_url text NOT NULL,
  timeout_ms  integer NOT NULL DEFAULT 30000 CHECK (timeout_ms BETWEEN 100 AND 600000),
  max_concurrency integer NOT NULL DEFAULT 16 CHECK (max_concurrency BETWEEN 1 AND 10000),
  enabled     boolean NOT NULL DEFAULT true,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX models_tenant_id_name_key ON models (tenant_id, name);

-- The logical key: stable id across rotations, its policy and lifecycle.
CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  scopes        text[] NOT NULL,
  model_allowlist text[] NOT NULL DEFAULT '{}', -- empty: every model the tenant may use
  ip_allowlist  text[] NOT NULL DEFAULT '{}',    -- empty: any address the tenant allows
  rate_limit_requests integer CHECK (rate_limit_requests > 0),
  rate_limit_window_seconds integer CHECK (rate_limit_window_seconds BETWEEN 1 AND 86400),
  expires_at    timestamptz(3),
  revoked_at    timestamptz(3),
  last_used_at  timestamptz(3),
  created_by_type "ActorType" NOT NULL,
  created_by_id text,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_tenant_id_created_at_idx ON api_keys (tenant_id, created_at DESC);

-- One secret per generation of a key. Only the SHA-256 of the secret is kept.
-- A superseded generation stays valid until expires_at (the rotation grace).
CREATE TABLE api_key_secrets (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key_id         uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  generation     integer NOT NULL CHECK (generation >= 1),
  hash           bytea NOT NULL CHECK (octet_length(hash) = 32),
  display_prefix text NOT NULL,
  expires_at     timestamptz(3),
  created_at     timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX api_key_secrets_hash_key ON api_key_secrets (hash);
CREATE UNIQUE INDEX api_key_secrets_tenant_id_key_id_generation_key ON api_key_secrets (tenant_id, key_id, generation);

-- Denied gateway requests, per tenant (bad key of a known tenant, IP, scope,
-- rate limit, quota, input filter).
CREATE TABLE security_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  request_id  text NOT NULL,
  key_id      uuid,
  code        text NOT NULL,
  status      integer NOT NULL,
  method      text NOT NULL,
  path        text NOT NULL,
  client_ip   text,
  model       text,
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX security_events_tenant_id_created_at_idx ON security_events (tenant_id, created_at DESC);
CREATE UNIQUE INDEX security_events_tenant_id_request_id_key ON security_events (tenant_id, request_id);

ALTER TABLE models ENABLE ROW LEVEL SECURITY;
ALTER TABLE models FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON models
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON models FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON api_keys FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

ALTER TABLE api_key_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_key_secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_key_secrets
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- The gateway learns a key's tenant from the key itself: whoever presents the
-- secret (and so knows its hash) may read that one row, and nothing else.
CREATE POLICY key_hash_lookup ON api_key_secrets FOR SELECT
  USING (hash = decode(NULLIF(current_setting('app.key_hash', true), ''), 'hex'));

ALTER TABLE security_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE security_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON security_events
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON security_events FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

GRANT SELECT, INSERT, UPDATE, DELETE ON models, api_keys, api_key_secrets TO modelgate_app;
GRANT SELECT, INSERT ON security_events TO modelgate_app;
