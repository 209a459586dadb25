-- Central log shipping: how far each configured sink got in each tenant's
-- audit trail and security log.
--
-- Platform state, not tenant data: the shipper (a worker) reads the tenants'
-- rows only through the audited operator path (read-only) and writes nothing
-- into tenant tables; its progress lives here. Tenants never read this table,
-- hence no RLS and the column is named source_tenant_id, not tenant_id (the
-- isolation suite treats every tenant_id table as tenant-owned).
--
-- A cursor advances only after the sink acknowledged everything up to it, and
-- only from the position the shipper read (compare-and-set), so a restarted
-- or concurrent shipper resends at worst, never skips.
CREATE TABLE log_ship_cursors (
  sink             text NOT NULL CHECK (sink ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  stream           text NOT NULL CHECK (stream IN ('audit', 'security')),
  source_tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- audit: the last shipped per-tenant sequence number
  last_seq         bigint,
  -- security: the last shipped (created_at, id), their shipping order
  last_created_at  timestamptz(3),
  last_id          uuid,
  shipped_count    bigint NOT NULL DEFAULT 0,
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (sink, stream, source_tenant_id),
  CHECK ((stream = 'audit' AND last_seq IS NOT NULL AND last_created_at IS NULL AND last_id IS NULL)
      OR (stream = 'security' AND last_seq IS NULL AND last_created_at IS NOT NULL AND last_id IS NOT NULL))
);
CREATE INDEX log_ship_cursors_source_tenant_id_idx ON log_ship_cursors (source_tenant_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON log_ship_cursors TO modelgate_app;
