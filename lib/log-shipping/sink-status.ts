import type { Db } from "../db/client";
import { withOperatorRead, type OperatorReadContext } from "../db/tenant-scope";
import { describeSink, type SinkConfig } from "./sink-config";
import type { Stream } from "./ship-record";

export type StreamStatus = {
  /** Tenants with entries this sink has not received yet. */
  laggingTenants: number;
  /** Entries not yet shipped, across tenants (security: only those old enough to ship). */
  pending: number;
  /** Time of the oldest entry not yet shipped; null when caught up. */
  oldestPendingAt: string | null;
  shipped: number;
  lastShippedAt: string | null;
};

export type SinkStatus = ReturnType<typeof describeSink> & { streams: Record<Stream, StreamStatus> };

type Row = { stream: Stream; lagging: number; pending: number; oldest: Date | null; shipped: string; last: Date | null };

/**
 * How far each configured sink is behind, per stream: compares every tenant's
 * head with the sink's cursor. Crosses tenants, so it reads through the
 * audited operator path as `actor` (the CLI user).
 */
export async function sinkStatus(
  sinks: SinkConfig[],
  ctx: { actor: OperatorReadContext["actor"]; securitySettleSeconds: number },
  db: Db,
): Promise<SinkStatus[]> {
  if (sinks.length === 0) return [];
  return withOperatorRead(
    { actor: ctx.actor, reason: "log sink status", resource: "audit_logs,security_events" },
    async (tx) => {
      const out: SinkStatus[] = [];
      for (const sink of sinks) {
        const rows = await tx.$queryRaw<Row[]>`
          WITH audit AS (
            SELECT count(a.*)::int AS pending, min(a.created_at) AS oldest, (count(a.*) > 0) AS lagging
            FROM tenants t
            LEFT JOIN log_ship_cursors c ON c.sink = ${sink.name} AND c.stream = 'audit' AND c.source_tenant_id = t.id
            LEFT JOIN audit_logs a ON a.tenant_id = t.id AND a.seq > COALESCE(c.last_seq, -1)
            GROUP BY t.id
          ), security AS (
            SELECT count(e.*)::int AS pending, min(e.created_at) AS oldest, (count(e.*) > 0) AS lagging
            FROM tenants t
            LEFT JOIN log_ship_cursors c ON c.sink = ${sink.name} AND c.stream = 'security' AND c.source_tenant_id = t.id
            LEFT JOIN security_events e ON e.tenant_id = t.id
              AND (c.last_created_at IS NULL OR (e.created_at, e.id) > (c.last_created_at, c.last_id))
              AND e.created_at <= now() - make_interval(secs => ${ctx.securitySettleSeconds})
            GROUP BY t.id
          ), shipped AS (
            SELECT stream, sum(shipped_count)::text AS shipped, max(updated_at) AS last
            FROM log_ship_cursors WHERE sink = ${sink.name} GROUP BY stream
          )
          SELECT 'audit' AS stream, count(*) FILTER (WHERE lagging)::int AS lagging, COALESCE(sum(pending), 0)::int AS pending, min(oldest) AS oldest,
                 COALESCE((SELECT shipped FROM shipped WHERE stream = 'audit'), '0') AS shipped, (SELECT last FROM shipped WHERE stream = 'audit') AS last
          FROM audit
          UNION ALL
          SELECT 'security', count(*) FILTER (WHERE lagging)::int, COALESCE(sum(pending), 0)::int, min(oldest),
                 COALESCE((SELECT shipped FROM shipped WHERE stream = 'security'), '0'), (SELECT last FROM shipped WHERE stream = 'security')
          FROM security`;
        const streams = {} as Record<Stream, StreamStatus>;
        for (const r of rows) {
          streams[r.stream] = {
            laggingTenants: r.lagging,
            pending: r.pending,
            oldestPendingAt: r.oldest ? new Date(r.oldest).toISOString() : null,
            shipped: Number(r.shipped),
            lastShippedAt: r.last ? new Date(r.last).toISOString() : null,
          };
        }
        out.push({ ...describeSink(sink), streams });
      }
      return out;
    },
    db,
  );
}
