-- The audit chain's writer may compute the entry hash itself (lib/audit/
-- record-audit.ts does, in Node, with RFC 8785 `canonicalize`): canonical
-- JSON in PL/pgSQL costs tens of microseconds per nested object, Node a few.
--
-- Still one writer per chain: recordAudit takes the same advisory lock before
-- it reads the head, and this trigger takes it again (re-entrant) and refuses
-- any entry that does not continue the chain: seq = head + 1 and prev_hash =
-- the head's entry_hash. It also refuses a time more than 60 s away from the
-- database's clock (only a superuser may write another time). A wrong
-- entry_hash cannot be refused here without recomputing it; verification
-- (lib/audit/verify-chain.ts) recomputes every hash and reports it as edited.
-- A writer that passes no entry_hash ('') gets everything computed here, as
-- before (fixtures, imports, hand-written SQL).
CREATE OR REPLACE FUNCTION audit_logs_chain() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(1635083380, hashtext(NEW.tenant_id::text));
  SELECT a.seq, a.entry_hash INTO head_seq, head_hash
    FROM public.audit_logs a WHERE a.tenant_id = NEW.tenant_id ORDER BY a.seq DESC LIMIT 1;
  NEW.metadata := coalesce(NEW.metadata, '{}'::jsonb);
  IF coalesce(NEW.entry_hash, '') <> '' THEN
    IF NEW.seq IS DISTINCT FROM coalesce(head_seq, 0) + 1 OR NEW.prev_hash IS DISTINCT FROM coalesce(head_hash, repeat('0', 64)) THEN
      RAISE EXCEPTION 'audit entry % of tenant % does not continue its chain (head is %)', NEW.seq, NEW.tenant_id, coalesce(head_seq, 0)
        USING ERRCODE = 'raise_exception';
    END IF;
    IF current_setting('is_superuser') <> 'on' AND abs(extract(epoch FROM NEW.created_at - clock_timestamp())) > 60 THEN
      RAISE EXCEPTION 'audit entry time % is not now', NEW.created_at USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  NEW.seq := coalesce(head_seq, 0) + 1;
  NEW.prev_hash := coalesce(head_hash, repeat('0', 64));
  IF NEW.created_at IS NULL OR current_setting('is_superuser') <> 'on' THEN
    NEW.created_at := date_trunc('milliseconds', clock_timestamp());
  END IF;
  NEW.entry_hash := public.audit_entry_hash(NEW);
  RETURN NEW;
END
$$;

-- What a writer calls first: takes the tenant's chain lock, then reads the
-- head with a snapshot taken after the lock (a volatile PL/pgSQL function
-- runs each statement on a fresh snapshot), in one round trip. Runs as the
-- caller (row-level security applies).
CREATE FUNCTION audit_chain_head(t uuid) RETURNS TABLE (seq bigint, entry_hash text)
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1635083380, hashtext(t::text));
  RETURN QUERY SELECT a.seq, a.entry_hash FROM public.audit_logs a WHERE a.tenant_id = t ORDER BY a.seq DESC LIMIT 1;
END
$$;
