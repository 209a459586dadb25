-- The chain's link check, once per statement instead of once per row.
--
-- The row trigger now runs only for rows that arrive without a hash (it
-- computes seq, time and hash for them, as before); rows a writer chained
-- itself (recordAudit) skip it. After every INSERT, one set-based check over
-- the statement's new rows refuses the whole statement unless each new entry
-- continues its tenant's chain: seq 1 starts from 64 zeros, and every other
-- seq n has an entry n - 1 whose entry_hash is its prev_hash (so no gap can
-- be opened and no link forged; the unique index on (tenant_id, seq) already
-- refuses a second entry n). The application role may not date an entry more
-- than 60 s away from the database's clock. Writers still serialise on the
-- chain's advisory lock (audit_chain_head, and the row trigger).
DROP TRIGGER audit_logs_chain ON audit_logs;
CREATE TRIGGER audit_logs_chain BEFORE INSERT ON audit_logs
  FOR EACH ROW WHEN (NEW.entry_hash = '' OR NEW.entry_hash IS NULL) EXECUTE FUNCTION audit_logs_chain();

CREATE FUNCTION audit_logs_check_links() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.tenant_id, n.seq INTO bad
  FROM added n
  LEFT JOIN public.audit_logs p ON p.tenant_id = n.tenant_id AND p.seq = n.seq - 1
  WHERE (n.seq = 1 AND n.prev_hash <> repeat('0', 64))
     OR (n.seq > 1 AND p.entry_hash IS DISTINCT FROM n.prev_hash)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'audit entry % of tenant % does not continue its chain', bad.seq, bad.tenant_id;
  END IF;
  IF current_setting('is_superuser') <> 'on' THEN
    SELECT n.tenant_id, n.seq INTO bad FROM added n WHERE abs(extract(epoch FROM n.created_at - clock_timestamp())) > 60 LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'audit entry % of tenant %: its time is not now', bad.seq, bad.tenant_id USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER audit_logs_check_links AFTER INSERT ON audit_logs
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_check_links();
