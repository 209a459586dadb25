-- Core data model: tenants, users, memberships, audit.
-- Every table whose rows belong to one tenant carries tenant_id and gets
-- ENABLE + FORCE ROW LEVEL SECURITY with a policy on app.tenant_id (set per
-- transaction by lib/db/tenant-scope.ts). The schema-wide catalog test fails
-- when a table with tenant_id lacks this.

CREATE TYPE "TenantStatus" AS ENUM ('active', 'suspended');
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'developer', 'viewer');
CREATE TYPE "AuditOutcome" AS ENUM ('success', 'failure', 'denied');
CREATE TYPE "ActorType" AS ENUM ('user', 'api_key', 'operator', 'system');

CREATE TABLE tenants (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  slug         text NOT NULL CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$'),
  status       "TenantStatus" NOT NULL DEFAULT 'active',
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  updated_at   timestamptz(3) NOT NULL DEFAULT now(),
  suspended_at timestamptz(3)
);
CREATE UNIQUE INDEX tenants_slug_key ON tenants (slug);

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
  name          text NOT NULL,
  password_hash text,
  is_operator   boolean NOT NULL DEFAULT false,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE memberships (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       "Role" NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX memberships_tenant_id_user_id_key ON memberships (tenant_id, user_id);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

CREATE TABLE audit_logs (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE RESTRICT,
  action      text NOT NULL,
  actor_type  "ActorType" NOT NULL,
  actor_id    text,
  target_type text,
  target_id   text,
  outcome     "AuditOutcome" NOT NULL DEFAULT 'success',
  ip          text,
  user_agent  text,
  request_id  text,
  metadata    jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_tenant_id_created_at_idx ON audit_logs (tenant_id, created_at DESC);

CREATE TABLE platform_audit_logs (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  action      text NOT NULL,
  actor_type  "ActorType" NOT NULL,
  actor_id    text,
  target_type text,
  target_id   text,
  outcome     "AuditOutcome" NOT NULL DEFAULT 'success',
  reason      text,
  request_id  text,
  metadata    jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX platform_audit_logs_created_at_idx ON platform_audit_logs (created_at DESC);

-- Row-level security on tenant-owned tables.
--   tenant_isolation: the one tenant set for this transaction, read and write.
--   operator_read:    read-only, across tenants, only inside lib/db's audited
--                     operator path (app.operator_read = 'on').
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON memberships FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');
-- A signed-in user lists their own memberships (tenant switcher, sign-in)
-- before any tenant is chosen; read-only.
CREATE POLICY member_self_read ON memberships FOR SELECT
  USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);

ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_logs
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON audit_logs FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

-- Grants: deny by default, table by table. The audit trail is append-only for
-- the application role.
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, users, memberships TO modelgate_app;
GRANT SELECT, INSERT ON audit_logs, platform_audit_logs TO modelgate_app;
