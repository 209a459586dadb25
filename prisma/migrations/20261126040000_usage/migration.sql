-- Usage: one raw event per request the gateway forwarded (mg:usage), and
-- minute / hour / day rollups of them. Written only by the usage worker
-- (workers/processors/usage-events.ts), in one transaction per tenant batch:
-- an event is inserted once per (tenant_id, request_id), and rollups grow
-- only by the events that were newly inserted, so a redelivered stream entry
-- is never counted twice.

CREATE TABLE usage_events (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  request_id        text NOT NULL,
  key_id            uuid NOT NULL,
  route             text NOT NULL,
  model             text,
  status            integer NOT NULL,
  latency_ms        integer NOT NULL,
  prompt_tokens     integer,
  completion_tokens integer,
  total_tokens      integer,
  occurred_at       timestamptz(3) NOT NULL
);
CREATE UNIQUE INDEX usage_events_tenant_id_request_id_key ON usage_events (tenant_id, request_id);
-- Range reads (export) and retention (DELETE ... WHERE tenant_id = $1 AND occurred_at < $2, in batches).
CREATE INDEX usage_events_tenant_id_occurred_at_idx ON usage_events (tenant_id, occurred_at);

-- One row per (tenant, granularity, bucket, key, model, status class).
-- model is '' when the request named none. lat_le_N counts the requests whose
-- latency was above the previous bound and at most N ms (lat_gt_60000: the
-- rest), a fixed histogram (lib/usage/latency-histogram.ts) from which
-- p50/p95 are read without the raw events.
CREATE TABLE usage_rollups (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  granularity       text NOT NULL CHECK (granularity IN ('minute', 'hour', 'day')),
  bucket_start      timestamptz(3) NOT NULL,
  key_id            uuid NOT NULL,
  model             text NOT NULL DEFAULT '',
  status_class      text NOT NULL CHECK (status_class IN ('1xx', '2xx', '3xx', '4xx', '5xx')),
  requests          bigint NOT NULL DEFAULT 0,
  errors            bigint NOT NULL DEFAULT 0,
  prompt_tokens     bigint NOT NULL DEFAULT 0,
  completion_tokens bigint NOT NULL DEFAULT 0,
  total_tokens      bigint NOT NULL DEFAULT 0,
  latency_ms_sum    bigint NOT NULL DEFAULT 0,
  lat_le_5          bigint NOT NULL DEFAULT 0,
  lat_le_10         bigint NOT NULL DEFAULT 0,
  lat_le_25         bigint NOT NULL DEFAULT 0,
  lat_le_50         bigint NOT NULL DEFAULT 0,
  lat_le_100        bigint NOT NULL DEFAULT 0,
  lat_le_250        bigint NOT NULL DEFAULT 0,
  lat_le_500        bigint NOT NULL DEFAULT 0,
  lat_le_1000       bigint NOT NULL DEFAULT 0,
  lat_le_2500       bigint NOT NULL DEFAULT 0,
  lat_le_5000       bigint NOT NULL DEFAULT 0,
  lat_le_10000      bigint NOT NULL DEFAULT 0,
  lat_le_30000      bigint NOT NULL DEFAULT 0,
  lat_le_60000      bigint NOT NULL DEFAULT 0,
  lat_gt_60000      bigint NOT NULL DEFAULT 0,
  updated_at        timestamptz(3) NOT NULL DEFAULT now()
);
-- The upsert's conflict target, and the dashboard's range scan (tenant, granularity, bucket range).
CREATE UNIQUE INDEX usage_rollups_bucket_key ON usage_rollups (tenant_id, granularity, bucket_start, key_id, model, status_class);
-- Retention: DELETE ... WHERE tenant_id = $1 AND bucket_start < $2 (any granularity), in batches.
CREATE INDEX usage_rollups_tenant_id_bucket_start_idx ON usage_rollups (tenant_id, bucket_start);

ALTER TABLE usage_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_events
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON usage_events FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

ALTER TABLE usage_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_rollups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_rollups
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON usage_rollups FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

-- UPDATE: the rollup upsert; DELETE: retention.
GRANT SELECT, INSERT, DELETE ON usage_events TO modelgate_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON usage_rollups TO modelgate_app;
