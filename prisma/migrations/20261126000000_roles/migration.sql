-- modelgate:run-as-migrator
-- Roles of the tenant boundary. Run once per cluster by a role with CREATEROLE
-- (the local superuser); idempotent, because roles are cluster-wide and the dev
-- and test databases share them.
--
--   modelgate_owner  owns every table; migrations run as it. Owners bypass RLS,
--                    so no process ever connects as it at run time.
--   modelgate_app    what the web console, gateway and workers connect as: owns
--                    nothing, no SUPERUSER, no BYPASSRLS, only the grants each
--                    migration gives it table by table.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'modelgate_owner') THEN
    CREATE ROLE modelgate_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'modelgate_app') THEN
    CREATE ROLE modelgate_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;

-- Whoever runs migrations must be able to act as the owner (SET ROLE).
DO $$
BEGIN
  EXECUTE format('GRANT modelgate_owner TO %I', current_user);
EXCEPTION WHEN others THEN
  NULL; -- already a member, or the owner itself
END
$$;

GRANT CREATE, USAGE ON SCHEMA public TO modelgate_owner;
GRANT USAGE ON SCHEMA public TO modelgate_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
