-- The operator's search across tenants (lib/audit/operator-search.ts) pages
-- every tenant's entries newest first by (created_at, id): an index in that
-- order, so a page is an index walk rather than a sort of the whole table.
CREATE INDEX audit_logs_created_at_id_idx ON audit_logs (created_at DESC, id DESC);
