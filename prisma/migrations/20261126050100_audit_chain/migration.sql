-- Tamper-evident audit trail (README "Audit trail").
--
-- Every tenant's audit_logs form one hash chain: seq 1, 2, 3... with no gaps;
-- prev_hash is the entry_hash of seq - 1 (64 zeros for seq 1), and
--   entry_hash = hex(SHA-256(prev_hash || canonical JSON of the entry))
-- where the canonical JSON is RFC 8785 (JCS) of
--   {"action","actor":{"id","type"},"details","id","ip","outcome",
--    "request_id","seq","target":{"id","type"}|null,"tenant_id","time",
--    "user_agent","v":1}
-- ("time" is ISO 8601 UTC with milliseconds, "details" the metadata column).
--
-- The database computes all of it, in a BEFORE INSERT trigger that first
-- takes a transaction-scoped advisory lock on the tenant's chain: one writer
-- per chain at a time, so concurrent transactions queue instead of forking,
-- and whatever inserts a row (recordAudit, a fixture, a future writer) links
-- it correctly. Values a writer passes for seq, prev_hash, entry_hash are
-- ignored; the application role cannot pick created_at either.
-- lib/audit/verify-chain.ts recomputes the hashes independently in Node with
-- the `canonicalize` package; lib/audit/canonical.integration.test.ts holds
-- the two implementations to the same bytes.
--
-- Rows written before this migration are chained here, per tenant in
-- (created_at, id) order, with the same function: a database upgraded from
-- the previous schema verifies from seq 1.

-- RFC 8785 number form: ECMAScript Number.prototype.toString of the value as
-- an IEEE double. float8 output with extra_float_digits > 0 is the shortest
-- round-trip digit string (like ECMAScript's); only the layout differs.
CREATE FUNCTION audit_json_number(n numeric) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT
SET extra_float_digits = 1
AS $$
DECLARE
  f double precision := n::double precision;
  s text;
  sign text := '';
  mant text;
  e int := 0;
  digits text;
  point int;
  k int;
  m int;
BEGIN
  IF f = 0 THEN
    RETURN '0';
  END IF;
  s := f::text;
  IF left(s, 1) = '-' THEN
    sign := '-';
    s := substr(s, 2);
  END IF;
  IF position('e' IN s) > 0 THEN
    mant := split_part(s, 'e', 1);
    e := split_part(s, 'e', 2)::int;
  ELSE
    mant := s;
  END IF;
  IF position('.' IN mant) > 0 THEN
    point := position('.' IN mant) - 1;
    digits := replace(mant, '.', '');
  ELSE
    point := length(mant);
    digits := mant;
  END IF;
  WHILE left(digits, 1) = '0' LOOP
    digits := substr(digits, 2);
    point := point - 1;
  END LOOP;
  digits := rtrim(digits, '0');
  k := length(digits);
  m := point + e; -- value = 0.<digits> * 10^m
  IF k <= m AND m <= 21 THEN
    RETURN sign || digits || repeat('0', m - k);
  ELSIF 0 < m AND m <= 21 THEN
    RETURN sign || left(digits, m) || '.' || substr(digits, m + 1);
  ELSIF -6 < m AND m <= 0 THEN
    RETURN sign || '0.' || repeat('0', -m) || digits;
  END IF;
  RETURN sign || left(digits, 1)
    || CASE WHEN k > 1 THEN '.' || substr(digits, 2) ELSE '' END
    || 'e' || CASE WHEN m - 1 >= 0 THEN '+' ELSE '-' END || abs(m - 1)::text;
END
$$;

-- RFC 8785 canonical JSON of a jsonb value. Object members sorted by key
-- (code point order; RFC 8785 says UTF-16 code units, which differs only for
-- keys mixing characters above U+FFFF with U+E000-U+FFFF at one position),
-- no whitespace, strings escaped as ECMAScript's JSON.stringify does.
CREATE FUNCTION audit_canonical_json(j jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT
AS $$
BEGIN
  CASE jsonb_typeof(j)
    WHEN 'object' THEN
      RETURN '{' || coalesce((
        SELECT string_agg(to_json(o.key)::text || ':' || public.audit_canonical_json(o.value), ',' ORDER BY o.key COLLATE "C")
        FROM jsonb_each(j) AS o), '') || '}';
    WHEN 'array' THEN
      RETURN '[' || coalesce((
        SELECT string_agg(public.audit_canonical_json(a.value), ',' ORDER BY a.ord)
        FROM jsonb_array_elements(j) WITH ORDINALITY AS a(value, ord)), '') || ']';
    WHEN 'string' THEN
      RETURN to_json(j #>> '{}')::text;
    WHEN 'number' THEN
      RETURN public.audit_json_number((j #>> '{}')::numeric);
    ELSE
      RETURN j::text; -- true, false, null
  END CASE;
END
$$;

ALTER TABLE audit_logs
  ADD COLUMN seq bigint NOT NULL DEFAULT 0,
  ADD COLUMN prev_hash text NOT NULL DEFAULT '',
  ADD COLUMN entry_hash text NOT NULL DEFAULT '';

-- The canonical JSON of one entry (top level written out: its keys are fixed
-- and already in order).
CREATE FUNCTION audit_entry_json(e public.audit_logs) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
  SELECT '{"action":' || to_json(e.action)::text
    || ',"actor":{"id":' || coalesce(to_json(e.actor_id)::text, 'null') || ',"type":' || to_json(e.actor_type::text)::text || '}'
    || ',"details":' || public.audit_canonical_json(coalesce(e.metadata, '{}'::jsonb))
    || ',"id":"' || e.id::text || '"'
    || ',"ip":' || coalesce(to_json(e.ip)::text, 'null')
    || ',"outcome":' || to_json(e.outcome::text)::text
    || ',"request_id":' || coalesce(to_json(e.request_id)::text, 'null')
    || ',"seq":' || e.seq::text
    || ',"target":' || CASE WHEN e.target_type IS NULL AND e.target_id IS NULL THEN 'null'
         ELSE '{"id":' || coalesce(to_json(e.target_id)::text, 'null') || ',"type":' || coalesce(to_json(e.target_type)::text, 'null') || '}' END
    || ',"tenant_id":"' || e.tenant_id::text || '"'
    || ',"time":"' || to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'
    || ',"user_agent":' || coalesce(to_json(e.user_agent)::text, 'null')
    || ',"v":1}'
$$;

CREATE FUNCTION audit_entry_hash(e public.audit_logs) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
  SELECT encode(sha256(convert_to(e.prev_hash || public.audit_entry_json(e), 'UTF8')), 'hex')
$$;

-- Chain the rows written before this migration. FORCE RLS applies to the
-- owner too, so it is lifted for this transaction only.
ALTER TABLE audit_logs NO FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_logs DISABLE ROW LEVEL SECURITY;
DO $$
DECLARE
  r public.audit_logs;
  current_tenant uuid;
  prev text;
  n bigint;
BEGIN
  FOR r IN SELECT * FROM public.audit_logs ORDER BY tenant_id, created_at, id LOOP
    IF current_tenant IS DISTINCT FROM r.tenant_id THEN
      current_tenant := r.tenant_id;
      n := 0;
      prev := repeat('0', 64);
    END IF;
    n := n + 1;
    r.seq := n;
    r.prev_hash := prev;
    r.entry_hash := public.audit_entry_hash(r);
    UPDATE public.audit_logs SET seq = r.seq, prev_hash = r.prev_hash, entry_hash = r.entry_hash WHERE id = r.id;
    prev := r.entry_hash;
  END LOOP;
END
$$;
ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;

ALTER TABLE audit_logs
  ADD CONSTRAINT audit_logs_seq_check CHECK (seq >= 1),
  ADD CONSTRAINT audit_logs_prev_hash_check CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  ADD CONSTRAINT audit_logs_entry_hash_check CHECK (entry_hash ~ '^[0-9a-f]{64}$');
-- Also the chain's fork guard: two entries of one tenant can never share a seq.
CREATE UNIQUE INDEX audit_logs_tenant_id_seq_key ON audit_logs (tenant_id, seq);

-- Signed chain heads. A checkpoint says: at signed_at, the tenant's chain had
-- entry `seq` with `entry_hash`; `signature` is Ed25519 (AUDIT_SIGNING_KEY,
-- public key id `key_id`) over the canonical JSON of
-- {"entry_hash","seq","signed_at","tenant_id","v":1}. Verification uses them
-- to detect a removed tail and to start after retention removed a prefix.
CREATE TABLE audit_checkpoints (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE RESTRICT,
  seq        bigint NOT NULL CHECK (seq >= 1),
  entry_hash text NOT NULL CHECK (entry_hash ~ '^[0-9a-f]{64}$'),
  signed_at  timestamptz(3) NOT NULL,
  key_id     text NOT NULL,
  signature  text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX audit_checkpoints_tenant_id_seq_key ON audit_checkpoints (tenant_id, seq);

ALTER TABLE audit_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_checkpoints
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY operator_read ON audit_checkpoints FOR SELECT
  USING (current_setting('app.operator_read', true) = 'on');

-- The writer: lock the tenant's chain, link to its head, hash.
CREATE FUNCTION audit_logs_chain() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  -- Key space "audt" (lib/audit/chain-lock.ts uses the same two keys).
  PERFORM pg_advisory_xact_lock(1635083380, hashtext(NEW.tenant_id::text));
  SELECT a.seq, a.entry_hash INTO head_seq, head_hash
    FROM public.audit_logs a WHERE a.tenant_id = NEW.tenant_id ORDER BY a.seq DESC LIMIT 1;
  NEW.seq := coalesce(head_seq, 0) + 1;
  NEW.prev_hash := coalesce(head_hash, repeat('0', 64));
  -- Time is the database's (UTC, milliseconds), taken after the lock so it
  -- follows seq. Only a superuser (fixtures, imports) may give its own.
  IF NEW.created_at IS NULL OR current_setting('is_superuser') <> 'on' THEN
    NEW.created_at := date_trunc('milliseconds', clock_timestamp());
  END IF;
  NEW.metadata := coalesce(NEW.metadata, '{}'::jsonb);
  NEW.entry_hash := public.audit_entry_hash(NEW);
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_logs_chain BEFORE INSERT ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_chain();

-- Append-only, whatever the grants say: UPDATE and TRUNCATE are refused for
-- every role; DELETE only for the retention role, only below the tenant's
-- newest checkpoint (which itself stays), and only oldest first (checked per
-- statement below). A superuser can still switch triggers off
-- (session_replication_role): verification is what catches that.
CREATE FUNCTION audit_logs_refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_user = 'modelgate_retention' THEN
    IF OLD.seq < (SELECT max(c.seq) FROM public.audit_checkpoints c WHERE c.tenant_id = OLD.tenant_id) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entry % of tenant % is not below a signed checkpoint', OLD.seq, OLD.tenant_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION '% on % is refused: the audit trail is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_refuse_change();
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_refuse_change();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_logs_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_refuse_change();

-- Retention removes a prefix: after a DELETE, no entry of a touched tenant
-- may remain below the highest seq it removed.
CREATE FUNCTION audit_logs_prefix_only() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT g.tenant_id, max(g.seq) AS top FROM removed g GROUP BY g.tenant_id) d
    JOIN public.audit_logs a ON a.tenant_id = d.tenant_id AND a.seq < d.top
  ) THEN
    RAISE EXCEPTION 'audit entries are removed oldest first only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER audit_logs_prefix_only AFTER DELETE ON audit_logs
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_prefix_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_logs, audit_checkpoints FROM modelgate_app;
GRANT SELECT, INSERT ON audit_checkpoints TO modelgate_app;
GRANT SELECT, DELETE ON audit_logs TO modelgate_retention;
GRANT SELECT ON audit_checkpoints TO modelgate_retention;

-- The audit view filters by time, actor, action and outcome within a tenant
-- and pages by seq.
CREATE INDEX audit_logs_tenant_id_action_idx ON audit_logs (tenant_id, action);
