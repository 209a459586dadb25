-- Quotas per tenant per period, the record of each closed period, and the
-- tenant's outgoing webhooks (endpoints and the delivery log).
--
-- Counting happens in Redis keyed by (tenant, period key), so a new period
-- starts at zero by construction; quota_periods only records what a closed
-- period used, once (unique (tenant_id, period, period_key)).

-- The tenant's time zone (IANA name): where its days and months begin.
ALTER TABLE tenants ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';

-- One quota per tenant: a day or calendar-month period with an optional
-- request limit and an optional token limit, each soft (warn) or hard (deny).
CREATE TABLE tenant_quotas (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  period          text NOT NULL CHECK (period IN ('day', 'month')),
  requests_limit  bigint CHECK (requests_limit IS NULL OR requests_limit >= 1),
  requests_hard   boolean NOT NULL DEFAULT false,
  tokens_limit    bigint CHECK (tokens_limit IS NULL OR tokens_limit >= 1),
  tokens_hard     boolean NOT NULL DEFAULT false,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tenant_quotas_tenant_id_key ON tenant_quotas (tenant_id);

-- What one ended period used, written once by the quota.close_period job.
CREATE TABLE quota_periods (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  period          text NOT NULL CHECK (period IN ('day', 'month')),
  period_key      text NOT NULL,
  starts_at       timestamptz(3) NOT NULL,
  ends_at         timestamptz(3) NOT NULL,
  requests        bigint NOT NULL DEFAULT 0,
  tokens          bigint NOT NULL DEFAULT 0,
  requests_limit  bigint,
  requests_hard   boolean NOT NULL DEFAULT false,
  tokens_limit    bigint,
  tokens_hard     boolean NOT NULL DEFAULT false,
  closed_at       timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX quota_periods_tenant_id_period_period_key_key ON quota_periods (tenant_id, period, period_key);
CREATE INDEX quota_periods_tenant_id_ends_at_idx ON quota_periods (tenant_id, ends_at DESC);

-- Where a tenant's notifications go. The signing secret (Standard Webhooks
-- `whsec_...`) is sealed under the tenant's data key; only its first
-- characters are kept readable for display.
CREATE TABLE webhook_endpoints (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  url               text NOT NULL,
  description       text NOT NULL DEFAULT '',
  event_types       text[] NOT NULL DEFAULT '{}',
  secret_ciphertext bytea NOT NULL,
  secret_prefix     text NOT NULL,
  enabled           boolean NOT NULL DEFAULT true,
  created_by        uuid,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_tenant_id_idx ON webhook_endpoints (tenant_id);

-- One event sent (or being sent) to one endpoint. (tenant, endpoint, event id)
-- is unique: the same event is delivered at most once per endpoint, however
-- often the job that emits it runs. Retries update the row.
CREATE TABLE webhook_deliveries (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  endpoint_id       uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id          text NOT NULL,
  event_type        text NOT NULL,
  payload           jsonb NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,
  last_status_code  integer,
  last_error        text,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  last_attempt_at   timestamptz(3),
  delivered_at      timestamptz(3)
);
CREATE UNIQUE INDEX webhook_deliveries_tenant_id_endpoint_id_event_id_key ON webhook_deliveries (tenant_id, endpoint_id, event_id);
CREATE INDEX webhook_deliveries_tenant_id_created_at_idx ON webhook_deliveries (tenant_id, created_at DESC);

ALTER TABLE tenant_quotas ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_quotas FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_quotas
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON tenant_quotas FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

ALTER TABLE quota_periods ENABLE ROW LEVEL SECURITY;
ALTER TABLE quota_periods FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON quota_periods
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON quota_periods FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoints
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_quotas TO modelgate_app;
GRANT SELECT, INSERT ON quota_periods TO modelgate_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints, webhook_deliveries TO modelgate_app;
