-- A usage event is one request: its request id and the time it finished.
-- The request id alone does not identify it: the gateway keeps a caller's
-- plain X-Request-Id (gateway/request-id.ts), so a client could send every
-- request under one id (or retry under the same one) and have all but the
-- first go uncounted. The same record delivered twice (a redelivered stream
-- entry, a batch the gateway re-sent) has the same id and the same time.
DROP INDEX usage_events_tenant_id_request_id_key;
CREATE UNIQUE INDEX usage_events_tenant_id_request_id_occurred_at_key ON usage_events (tenant_id, request_id, occurred_at);
