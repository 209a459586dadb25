-- modelgate:run-as-migrator
-- The retention role: what the retention worker connects as to remove the
-- oldest audit entries (lib/audit/prune.ts). Like modelgate_app it owns
-- nothing and has neither SUPERUSER nor BYPASSRLS, so row-level security
-- scopes it to one tenant per transaction; unlike modelgate_app it may DELETE
-- from audit_logs, and the audit triggers (next migration) let only it do so,
-- and only below the tenant's newest signed checkpoint, oldest first.
-- Idempotent: roles are cluster-wide and the dev and test databases share them.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'modelgate_retention') THEN
    CREATE ROLE modelgate_retention LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO modelgate_retention;
