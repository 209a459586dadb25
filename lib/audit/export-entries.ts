import type { Db } from "../db/client";
import { getDb } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import type { AuditEntryView, AuditFilters } from "./audit-schemas";
import { exportStream, type ExportFormat } from "./export-stream";
import { actorLabeller, auditWhere, toEntryView } from "./query-entries";

const CSV_COLUMNS = [
  "seq", "time", "actor_type", "actor_id", "actor", "action", "target_type", "target_id", "outcome",
  "ip", "user_agent", "request_id", "details", "prev_hash", "entry_hash",
] as const;

const csvValues = (e: AuditEntryView) => [
  e.seq, e.createdAt, e.actor.type, e.actor.id, e.actor.label, e.action, e.target?.type ?? null, e.target?.id ?? null,
  e.outcome, e.ip, e.userAgent, e.requestId, JSON.stringify(e.details), e.prevHash, e.entryHash,
];

/**
 * The tenant's entries matching `filters`, oldest first, as a stream of
 * JSON Lines or CSV. Rows are read `pageSize` at a time by seq (one short
 * transaction per page) only when the consumer asks for more, so an export of
 * any size holds one page in memory and stops reading when the client leaves.
 */
export function exportAuditEntries(
  tenantId: string,
  filters: AuditFilters,
  format: ExportFormat,
  opts: { db?: Db; pageSize?: number } = {},
): ReadableStream<Uint8Array> {
  const db = opts.db ?? getDb();
  const pageSize = opts.pageSize ?? 500;
  return exportStream<AuditEntryView, bigint>(
    {
      csvColumns: CSV_COLUMNS,
      csvValues,
      readPage: (after) =>
        withTenant(
          tenantId,
          async (tx) => {
            const where = { ...(await auditWhere(tx, filters)), tenantId, seq: { gt: after ?? 0n } };
            const rows = await tx.auditLog.findMany({ where, orderBy: { seq: "asc" }, take: pageSize });
            const label = await actorLabeller(tx, rows);
            return { rows: rows.map((r) => toEntryView(r, label)), last: rows.at(-1)?.seq };
          },
          db,
        ),
    },
    format,
  );
}
