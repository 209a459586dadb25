-- The model registry: versions (backend URL, encrypted credential, timeout,
-- concurrency) with a default version and an optional canary split, more
-- protocols, and shared models granted to other tenants by the platform.

-- Existing rows must be readable by the owner while they move into versions:
-- FORCE ROW LEVEL SECURITY applies to the owner too, so lift it for this
-- migration's own transaction and put it back at the end.
ALTER TABLE models NO FORCE ROW LEVEL SECURITY;

ALTER TABLE models DROP CONSTRAINT models_protocol_check;
ALTER TABLE models
  ADD CONSTRAINT models_protocol_check CHECK (protocol IN ('openai', 'kserve-v2', 'torchserve', 'tfserving')),
  ADD COLUMN description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
  -- shared: the platform may grant it to other tenants (model_grants); private: never visible elsewhere.
  ADD COLUMN visibility text NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'shared')),
  ADD COLUMN default_version_id uuid,
  -- The canary side of a traffic split: canary_percent % of requests, the rest to the default version.
  ADD COLUMN canary_version_id uuid,
  ADD COLUMN canary_percent integer CHECK (canary_percent BETWEEN 1 AND 99),
  ADD CONSTRAINT models_canary_check CHECK (
    (canary_version_id IS NULL) = (canary_percent IS NULL)
    AND (canary_version_id IS NULL OR canary_version_id IS DISTINCT FROM default_version_id)
  );
-- Target of the composite foreign keys below (a version or grant names its model's tenant too).
CREATE UNIQUE INDEX models_tenant_id_id_key ON models (tenant_id, id);

CREATE TABLE model_versions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  model_id      uuid NOT NULL,
  label         text NOT NULL CHECK (label ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  backend_url   text NOT NULL,
  -- bearer: "Authorization: Bearer <secret>"; header: "<credential_header>: <secret>".
  credential_kind   text CHECK (credential_kind IN ('bearer', 'header')),
  credential_header text CHECK (credential_header ~ '^[A-Za-z0-9!#$%&''*+.^_`|~-]{1,64}$'),
  -- AES-256-GCM envelope (lib/crypto/tenant-secrets.ts), never the plaintext.
  credential_secret bytea,
  timeout_ms    integer NOT NULL DEFAULT 30000 CHECK (timeout_ms BETWEEN 100 AND 600000),
  max_concurrency integer NOT NULL DEFAULT 16 CHECK (max_concurrency BETWEEN 1 AND 10000),
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, model_id) REFERENCES models (tenant_id, id) ON DELETE CASCADE,
  CHECK ((credential_kind IS NULL) = (credential_secret IS NULL)),
  CHECK ((credential_kind IS NOT DISTINCT FROM 'header') = (credential_header IS NOT NULL))
);
CREATE UNIQUE INDEX model_versions_tenant_id_model_id_label_key ON model_versions (tenant_id, model_id, label);
CREATE UNIQUE INDEX model_versions_model_id_id_key ON model_versions (model_id, id);

-- Every existing model becomes a model with one version "v1", its default.
INSERT INTO model_versions (tenant_id, model_id, label, backend_url, timeout_ms, max_concurrency, created_at, updated_at)
  SELECT tenant_id, id, 'v1', backend_url, timeout_ms, max_concurrency, created_at, updated_at FROM models;
UPDATE models m SET default_version_id = v.id FROM model_versions v WHERE v.model_id = m.id;
ALTER TABLE models DROP COLUMN backend_url, DROP COLUMN timeout_ms, DROP COLUMN max_concurrency;

-- The default and canary versions are versions of this very model. Deferred,
-- so a model and its first version are created in one transaction; a version
-- that serves traffic cannot be deleted (the application says so first).
ALTER TABLE models
  ADD CONSTRAINT models_default_version_fkey FOREIGN KEY (id, default_version_id)
    REFERENCES model_versions (model_id, id) DEFERRABLE INITIALLY DEFERRED,
  ADD CONSTRAINT models_canary_version_fkey FOREIGN KEY (id, canary_version_id)
    REFERENCES model_versions (model_id, id) DEFERRABLE INITIALLY DEFERRED;

-- A shared model of one tenant (owner_tenant_id) granted to another (tenant_id,
-- the grantee, whose row this is). Written by platform operators only.
CREATE TABLE model_grants (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  owner_tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  model_id        uuid NOT NULL,
  created_by_type "ActorType" NOT NULL,
  created_by_id   text,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  FOREIGN KEY (owner_tenant_id, model_id) REFERENCES models (tenant_id, id) ON DELETE CASCADE,
  CHECK (tenant_id <> owner_tenant_id)
);
CREATE UNIQUE INDEX model_grants_tenant_id_model_id_key ON model_grants (tenant_id, model_id);
CREATE INDEX model_grants_owner_tenant_id_model_id_idx ON model_grants (owner_tenant_id, model_id);

ALTER TABLE models FORCE ROW LEVEL SECURITY;

-- A grantee reads a granted model (name, protocol, description; read-only:
-- FOR SELECT) while it is shared. Versions, URLs and credentials stay the
-- owner's: the gateway reads them in the owner's scope.
CREATE POLICY grantee_read ON models FOR SELECT
  USING (
    visibility = 'shared'
    AND EXISTS (
      SELECT 1 FROM model_grants g
      WHERE g.model_id = models.id
        AND g.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
    )
  );

ALTER TABLE model_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE model_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON model_versions
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON model_versions FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

ALTER TABLE model_grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE model_grants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON model_grants
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- The owner sees who its models are granted to (read-only).
CREATE POLICY owner_read ON model_grants FOR SELECT
  USING (owner_tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON model_grants FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

GRANT SELECT, INSERT, UPDATE, DELETE ON model_versions TO modelgate_app;
GRANT SELECT, INSERT, DELETE ON model_grants TO modelgate_app;
