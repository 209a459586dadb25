import type { Db } from "../db/client";
import { withOperatorRead } from "../db/tenant-scope";
import { auditRecord, securityRecord, type Position, type ShipRecord, type Stream } from "./ship-record";

/** What one tenant's stream holds for a sink beyond its cursor, in shipping order. */
export type Batch = {
  stream: Stream;
  tenantId: string;
  /** The sink's cursor when read (null: nothing shipped yet); the compare-and-set base. */
  cursor: Position | null;
  records: ShipRecord[];
  /** The batch is as long as allowed: more is probably waiting. */
  full: boolean;
};

export type ReadOptions = {
  sink: string;
  /** Records per tenant and stream. */
  batchSize: number;
  /** Records per run across tenants (tenants shipped longest ago first). */
  maxRecords: number;
  /** Security events younger than this are left for a later run (see README, delivery guarantees). */
  securitySettleSeconds: number;
  /** Only these tenants (ids); every tenant when absent. */
  tenantIds?: string[];
  /** Tenants' streams not to read this time (they are backing off after a refusal). */
  exclude?: { stream: Stream; tenantId: string }[];
  db: Db;
};

/** Thrown inside the read to roll its transaction back: nothing was owed, so there is nothing to record. */
class NothingOwed extends Error {}

type AuditRow = { tenant_slug: string; cursor_seq: string | null; row: Record<string, unknown> };
type SecurityRow = { tenant_slug: string; cursor_at: Date | null; cursor_id: string | null; row: Record<string, unknown> };

/**
 * Reads, for one sink, the next records of every tenant's audit trail (by
 * seq) and security log (by created_at, id) after the sink's cursors. Crosses
 * tenants, so it goes through the operator path as the system actor
 * `log-shipper`: read-only, nothing written into any tenant table, and one
 * platform audit entry (`operator.read`) in the read's transaction — kept only
 * when the read found records to ship. A read that finds nothing (a caught-up
 * sink, every few seconds) rolls its transaction back, entry included, so
 * idle runs leave no trace while every read that handed records to a sink is
 * recorded.
 */
export async function readBatches(opts: ReadOptions): Promise<Batch[]> {
  const { sink, batchSize, maxRecords, securitySettleSeconds } = opts;
  const only = opts.tenantIds ?? null;
  const excluded = (stream: Stream) => (opts.exclude ?? []).filter((e) => e.stream === stream).map((e) => e.tenantId);
  const skipAudit = excluded("audit");
  const skipSecurity = excluded("security");
  const read = withOperatorRead(
    {
      actor: { type: "system", id: "log-shipper" },
      reason: `central log shipping to sink ${sink}`,
      resource: "audit_logs,security_events",
    },
    async (tx) => {
      const audit = await tx.$queryRaw<AuditRow[]>`
        SELECT t.slug AS tenant_slug, c.last_seq::text AS cursor_seq, to_jsonb(a) AS row
        FROM tenants t
        LEFT JOIN log_ship_cursors c ON c.sink = ${sink} AND c.stream = 'audit' AND c.source_tenant_id = t.id
        CROSS JOIN LATERAL (
          SELECT * FROM audit_logs a
          WHERE a.tenant_id = t.id AND a.seq > COALESCE(c.last_seq, -1)
          ORDER BY a.seq
          LIMIT ${batchSize}
        ) a
        WHERE (${only}::uuid[] IS NULL OR t.id = ANY(${only}::uuid[])) AND NOT (t.id = ANY(${skipAudit}::uuid[]))
        ORDER BY c.updated_at NULLS FIRST, t.id, a.seq
        LIMIT ${maxRecords}`;
      const security = await tx.$queryRaw<SecurityRow[]>`
        SELECT t.slug AS tenant_slug, c.last_created_at AS cursor_at, c.last_id::text AS cursor_id, to_jsonb(e) AS row
        FROM tenants t
        LEFT JOIN log_ship_cursors c ON c.sink = ${sink} AND c.stream = 'security' AND c.source_tenant_id = t.id
        CROSS JOIN LATERAL (
          SELECT * FROM security_events e
          WHERE e.tenant_id = t.id
            AND (c.last_created_at IS NULL OR (e.created_at, e.id) > (c.last_created_at, c.last_id))
            AND e.created_at <= now() - make_interval(secs => ${securitySettleSeconds})
          ORDER BY e.created_at, e.id
          LIMIT ${batchSize}
        ) e
        WHERE (${only}::uuid[] IS NULL OR t.id = ANY(${only}::uuid[])) AND NOT (t.id = ANY(${skipSecurity}::uuid[]))
        ORDER BY c.updated_at NULLS FIRST, t.id, e.created_at, e.id
        LIMIT ${maxRecords}`;
      if (audit.length === 0 && security.length === 0) throw new NothingOwed();
      return [audit, security] as const;
    },
    opts.db,
  );
  const owed = await read.catch((err: unknown) => {
    if (err instanceof NothingOwed) return null;
    throw err;
  });
  if (!owed) return [];
  const [audit, security] = owed;

  const batches = new Map<string, Batch>();
  const batchOf = (stream: Stream, tenantId: string, cursor: () => Position | null): Batch => {
    const key = `${stream}:${tenantId}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = { stream, tenantId, cursor: cursor(), records: [], full: false };
      batches.set(key, batch);
    }
    return batch;
  };
  for (const r of audit) {
    const record = auditRecord(r.row, r.tenant_slug);
    batchOf("audit", record.tenantId, () => (r.cursor_seq === null ? null : { seq: BigInt(r.cursor_seq) })).records.push(record);
  }
  for (const r of security) {
    const record = securityRecord(r.row, r.tenant_slug);
    batchOf("security", record.tenantId, () =>
      r.cursor_at === null || r.cursor_id === null ? null : { createdAt: new Date(r.cursor_at), id: r.cursor_id },
    ).records.push(record);
  }
  for (const b of batches.values()) b.full = b.records.length >= batchSize;
  return [...batches.values()];
}
