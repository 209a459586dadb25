-- Accounts, MFA and step-up (issue 3): server-side sessions, OpenID Connect
-- identities, TOTP secrets (encrypted), recovery codes (hashed) and tenant
-- invitations. The user-level tables are global (a user is not tenant-owned)
-- and carry no RLS, like users; invitations are tenant-owned and do.

-- A console session. Its id travels in the (signed) session JWT and is checked
-- on every request, so signing out, rotating at step-up and ending "all other
-- sessions" take effect at once. step_up_at is the time of the session's last
-- MFA verification; it is kept here, never taken from the client.
CREATE TABLE user_sessions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  auth_method    text NOT NULL CHECK (auth_method IN ('password', 'oidc')),
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  last_seen_at   timestamptz(3) NOT NULL DEFAULT now(),
  expires_at     timestamptz(3) NOT NULL,
  step_up_at     timestamptz(3),
  revoked_at     timestamptz(3),
  revoked_reason text,
  ip             text,
  user_agent     text
);
CREATE INDEX user_sessions_user_id_idx ON user_sessions (user_id);

-- An identity at an OpenID Connect provider, linked to one user. Sign-in by
-- OIDC finds the user through (issuer, subject) only, never by email.
CREATE TABLE user_identities (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  issuer       text NOT NULL,
  subject      text NOT NULL,
  email        text,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  last_used_at timestamptz(3)
);
CREATE UNIQUE INDEX user_identities_issuer_subject_key ON user_identities (issuer, subject);
CREATE INDEX user_identities_user_id_idx ON user_identities (user_id);

-- TOTP of one user. Secrets are AES-256-GCM envelopes (lib/crypto) whose AAD
-- binds table, column and user id, so a ciphertext copied to another row or
-- column does not decrypt. totp_last_step is the last accepted time step:
-- a code is accepted only by an UPDATE ... WHERE totp_last_step < step.
CREATE TABLE user_mfa (
  user_id             uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  totp_secret         bytea,
  totp_enabled_at     timestamptz(3),
  totp_last_step      bigint NOT NULL DEFAULT 0,
  pending_totp_secret bytea,
  pending_created_at  timestamptz(3),
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  updated_at          timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((totp_secret IS NULL) = (totp_enabled_at IS NULL))
);

-- One-time recovery codes: HMAC-SHA-256 under a server key, never the code.
CREATE TABLE user_recovery_codes (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  bytea NOT NULL CHECK (octet_length(code_hash) = 32),
  used_at    timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX user_recovery_codes_user_id_code_hash_key ON user_recovery_codes (user_id, code_hash);

-- An invitation to join a tenant with a role, by link. Only the SHA-256 of the
-- link's token is stored; the token is single use (accepted_at) and expires.
CREATE TABLE invitations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email       text NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
  role        "Role" NOT NULL,
  token_hash  bytea NOT NULL CHECK (octet_length(token_hash) = 32),
  invited_by  uuid REFERENCES users (id) ON DELETE SET NULL,
  expires_at  timestamptz(3) NOT NULL,
  accepted_at timestamptz(3),
  accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
  revoked_at  timestamptz(3),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
CREATE UNIQUE INDEX invitations_token_hash_key ON invitations (token_hash);
CREATE INDEX invitations_tenant_id_created_at_idx ON invitations (tenant_id, created_at DESC);

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON invitations FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');
-- Whoever holds an invitation link (and so knows its token's hash) may read
-- that one invitation before joining the tenant, and nothing else.
CREATE POLICY invitation_token_lookup ON invitations FOR SELECT
  USING (token_hash = decode(NULLIF(current_setting('app.invitation_token_hash', true), ''), 'hex'));

-- User-level audit entries (sign-in, MFA, step-up) carry where they came from.
ALTER TABLE platform_audit_logs
  ADD COLUMN ip text,
  ADD COLUMN user_agent text;

GRANT SELECT, INSERT, UPDATE, DELETE ON user_sessions, user_identities, user_mfa, user_recovery_codes TO modelgate_app;
GRANT SELECT, INSERT, UPDATE ON invitations TO modelgate_app;
