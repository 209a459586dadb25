-- Envelope encryption (lib/crypto): per-tenant data keys and the platform data
-- key, each wrapped by a master key (KEK). Only wrapped keys are stored.
--
-- status: 'active' keys open secrets; the highest active version seals new
-- ones. 'retired' once the re-encryption job has moved every registered column
-- onto a newer version (kept, still able to open, so nothing is ever lost).
-- reencrypt_cursor: progress of the job that brings rows onto this version
-- (NULL: no job; reencrypted_at set when it finished).

CREATE TABLE tenant_data_keys (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key_version      integer NOT NULL CHECK (key_version >= 1),
  wrapped_key      bytea NOT NULL CHECK (octet_length(wrapped_key) BETWEEN 32 AND 1024),
  kek_id           text NOT NULL CHECK (kek_id ~ '^[A-Za-z0-9._:/-]{1,200}$'),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  reencrypt_cursor jsonb,
  reencrypted_rows integer NOT NULL DEFAULT 0,
  reencrypted_at   timestamptz(3),
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  rewrapped_at     timestamptz(3),
  retired_at       timestamptz(3)
);
-- Two transactions creating the same version: one insert wins, the other is a no-op.
CREATE UNIQUE INDEX tenant_data_keys_tenant_id_key_version_key ON tenant_data_keys (tenant_id, key_version);

ALTER TABLE tenant_data_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_data_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_data_keys
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
-- Master-key rotation lists every tenant's key versions (wrapped only).
CREATE POLICY operator_read ON tenant_data_keys FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

-- Secrets that belong to no tenant (users' TOTP secrets): one key ring.
CREATE TABLE platform_data_keys (
  key_version      integer PRIMARY KEY CHECK (key_version >= 1),
  wrapped_key      bytea NOT NULL CHECK (octet_length(wrapped_key) BETWEEN 32 AND 1024),
  kek_id           text NOT NULL CHECK (kek_id ~ '^[A-Za-z0-9._:/-]{1,200}$'),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  reencrypt_cursor jsonb,
  reencrypted_rows integer NOT NULL DEFAULT 0,
  reencrypted_at   timestamptz(3),
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  rewrapped_at     timestamptz(3),
  retired_at       timestamptz(3)
);

GRANT SELECT, INSERT, UPDATE ON tenant_data_keys, platform_data_keys TO modelgate_app;
