-- Retention: how long each class of a tenant's data lives, and what the
-- retention worker deleted. Both tables are tenant-owned (RLS).

-- One row per tenant and data class the tenant has set; a class without a row
-- uses the platform default (lib/retention/data-classes.ts).
CREATE TABLE retention_policies (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  data_class     text NOT NULL CHECK (data_class IN ('usage_events', 'usage_rollups', 'security_events', 'audit_logs')),
  retention_days integer NOT NULL CHECK (retention_days BETWEEN 1 AND 3650),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  created_at     timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX retention_policies_tenant_id_data_class_key ON retention_policies (tenant_id, data_class);

-- One row per retention run and data class. `run_key` names the run (the
-- BullMQ job id, or `cli:...`): a run that crashed and is run again under the
-- same key continues its row, so its counts stay exact.
CREATE TABLE retention_runs (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_key        text NOT NULL,
  data_class     text NOT NULL CHECK (data_class IN ('usage_events', 'usage_rollups', 'security_events', 'audit_logs')),
  trigger        text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  status         text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  retention_days integer NOT NULL,
  cutoff         timestamptz(3) NOT NULL,
  deleted_count  bigint NOT NULL DEFAULT 0,
  batches        integer NOT NULL DEFAULT 0,
  oldest_kept_at timestamptz(3),
  error          text,
  started_at     timestamptz(3) NOT NULL DEFAULT now(),
  finished_at    timestamptz(3)
);
CREATE UNIQUE INDEX retention_runs_tenant_id_run_key_data_class_key ON retention_runs (tenant_id, run_key, data_class);
CREATE INDEX retention_runs_tenant_id_data_class_started_at_idx ON retention_runs (tenant_id, data_class, started_at DESC);

ALTER TABLE retention_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE retention_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON retention_policies
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON retention_policies FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

ALTER TABLE retention_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE retention_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON retention_runs
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON retention_runs FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

GRANT SELECT, INSERT, UPDATE, DELETE ON retention_policies, retention_runs TO modelgate_app;

-- The retention worker deletes expired security events (through the tenant's
-- RLS scope, like every other write). The audit trail stays append-only for
-- the application role: audit entries are pruned by lib/audit/prune.ts.
GRANT DELETE ON security_events TO modelgate_app;
