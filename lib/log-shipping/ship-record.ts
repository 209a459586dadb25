/** The two streams a sink receives, each shipped in its own order per tenant. */
export const STREAMS = ["audit", "security"] as const;
export type Stream = (typeof STREAMS)[number];

/** Where a record sits in its tenant's stream: audit by seq, security by (created_at, id). */
export type Position = { seq: bigint } | { createdAt: Date; id: string };

export type AuditEvent = {
  type: "audit";
  tenant_id: string;
  tenant_slug: string;
  seq: string;
  id: string;
  time: string;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string | null; id: string | null };
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: unknown;
  prev_hash: string | null;
  entry_hash: string | null;
};

export type SecurityEventDoc = {
  type: "security";
  tenant_id: string;
  tenant_slug: string;
  id: string;
  time: string;
  request_id: string;
  key_id: string | null;
  code: string;
  status: number;
  method: string;
  path: string;
  client_ip: string | null;
  model: string | null;
};

/** One entry on its way to a sink. `event` is exactly what every sink carries. */
export type ShipRecord = {
  stream: Stream;
  tenantId: string;
  position: Position;
  time: Date;
  /** Stable across retries: the Elasticsearch `_id`, so a resend is a no-op there. */
  docId: string;
  /** The syslog severity: 6 informational, 5 notice, 4 warning. */
  severity: number;
  event: AuditEvent | SecurityEventDoc;
};

/**
 * Names whose values never leave ModelGate, wherever they appear in an audit
 * entry's details (the writers already keep secrets out; this is the second
 * wall). Matches the logger's redaction list plus *Secret / *Token / *Password.
 */
const SECRET_NAME = /^(password|passwordhash|secret|token|key|apikey|totp|otp|mfacode|recoverycode|recoverycodes|authorization|cookie|.*secret|.*token|.*password|privatekey|ciphertext)$/i;
/** A full ModelGate API key (prefix, 32 base62, 6-character checksum). */
const API_KEY = /mgk_[0-9A-Za-z]{38}/g;
const REDACTED = "[redacted]";

export function redactDetails(value: unknown, depth = 0): unknown {
  if (depth > 16) return REDACTED;
  if (typeof value === "string") return value.replace(API_KEY, REDACTED);
  if (Array.isArray(value)) return value.map((v) => redactDetails(v, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_NAME.test(k) ? REDACTED : redactDetails(v, depth + 1);
    return out;
  }
  return value;
}

function text(v: unknown): string | null {
  return typeof v === "string" ? v : v === null || v === undefined ? null : String(v);
}

/** bytea comes back from to_jsonb as "\\x<hex>"; sinks get plain hex. */
function hex(v: unknown): string | null {
  const s = text(v);
  return s === null ? null : s.startsWith("\\x") ? s.slice(2) : s;
}

function isoTime(v: unknown): Date {
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) throw new Error("audit row without a valid created_at");
  return d;
}

/** An audit_logs row (as to_jsonb) → the record every sink ships. */
export function auditRecord(row: Record<string, unknown>, tenantSlug: string): ShipRecord {
  const tenantId = String(row.tenant_id);
  const seq = BigInt(String(row.seq));
  const time = isoTime(row.created_at);
  const outcome = String(row.outcome ?? "success");
  return {
    stream: "audit",
    tenantId,
    position: { seq },
    time,
    docId: `${tenantId}:${seq}`,
    severity: outcome === "success" ? 6 : outcome === "denied" ? 4 : 5,
    event: {
      type: "audit",
      tenant_id: tenantId,
      tenant_slug: tenantSlug,
      seq: seq.toString(),
      id: String(row.id),
      time: time.toISOString(),
      action: String(row.action),
      actor: { type: String(row.actor_type), id: text(row.actor_id) },
      target: { type: text(row.target_type), id: text(row.target_id) },
      outcome,
      ip: text(row.ip),
      user_agent: text(row.user_agent),
      request_id: text(row.request_id),
      details: redactDetails(row.details ?? row.metadata ?? {}),
      prev_hash: hex(row.prev_hash),
      entry_hash: hex(row.entry_hash),
    },
  };
}

/** A security_events row (as to_jsonb) → the record every sink ships. */
export function securityRecord(row: Record<string, unknown>, tenantSlug: string): ShipRecord {
  const tenantId = String(row.tenant_id);
  const id = String(row.id);
  const time = isoTime(row.created_at);
  return {
    stream: "security",
    tenantId,
    position: { createdAt: time, id },
    time,
    docId: id,
    severity: 4,
    event: {
      type: "security",
      tenant_id: tenantId,
      tenant_slug: tenantSlug,
      id,
      time: time.toISOString(),
      request_id: String(row.request_id),
      key_id: text(row.key_id),
      code: String(row.code),
      status: Number(row.status),
      method: String(row.method),
      path: String(row.path).replace(API_KEY, REDACTED),
      client_ip: text(row.client_ip),
      model: text(row.model),
    },
  };
}
