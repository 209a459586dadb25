import type { Db, TxClient } from "../db/client";
import { getDb } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { withTenant } from "../db/tenant-scope";
import { securityEventView, type SecurityEventExportFilters, type SecurityEventFilters, type SecurityEventView } from "./audit-schemas";
import { exportStream, type ExportFormat } from "./export-stream";

/** `<created_at ms>_<id>`: the position after which the next page (older events) starts. */
export const encodeCursor = (createdAt: Date, id: string) => `${String(createdAt.getTime()).padStart(13, "0")}_${id}`;
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [ms, id] = cursor.split("_");
  return { createdAt: new Date(Number(ms)), id: id! };
}

/**
 * One page of the tenant's security log (gateway denials: bad key, IP
 * blocked, rate limit or quota, input filter), newest first. `tx` must be
 * scoped to the tenant.
 */
export async function querySecurityEvents(
  tx: TxClient,
  tenantId: string,
  filters: SecurityEventFilters,
): Promise<{ events: SecurityEventView[]; nextCursor: string | null }> {
  const where = securityWhere(tenantId, filters);
  if (filters.cursor) {
    const c = decodeCursor(filters.cursor);
    where.AND = [{ OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] }];
  }
  const rows = await tx.securityEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: filters.limit + 1 });
  const more = rows.length > filters.limit;
  const shown = more ? rows.slice(0, filters.limit) : rows;
  return {
    events: shown.map((r) => securityEventView.parse(r)),
    nextCursor: more ? encodeCursor(shown.at(-1)!.createdAt, shown.at(-1)!.id) : null,
  };
}

/** The list's and the export's filters, as one where clause. */
function securityWhere(tenantId: string, filters: SecurityEventExportFilters): Prisma.SecurityEventWhereInput {
  const where: Prisma.SecurityEventWhereInput = { tenantId };
  if (filters.code) where.code = filters.code;
  if (filters.keyId) where.keyId = filters.keyId;
  if (filters.ip) where.clientIp = filters.ip;
  if (filters.from || filters.to) where.createdAt = { gte: filters.from, lte: filters.to };
  return where;
}

const CSV_COLUMNS = ["time", "code", "status", "method", "path", "model", "key_id", "client_ip", "request_id", "id"] as const;

/**
 * The tenant's security events matching `filters`, oldest first (by
 * created_at, id), as a stream of JSON Lines (the list's event objects) or
 * CSV; read `pageSize` at a time, one short tenant-scoped transaction per
 * page, only as the consumer pulls (lib/audit/export-stream.ts).
 */
export function exportSecurityEvents(
  tenantId: string,
  filters: SecurityEventExportFilters,
  format: ExportFormat,
  opts: { db?: Db; pageSize?: number } = {},
): ReadableStream<Uint8Array> {
  const db = opts.db ?? getDb();
  const pageSize = opts.pageSize ?? 500;
  return exportStream<SecurityEventView, { createdAt: Date; id: string }>(
    {
      csvColumns: CSV_COLUMNS,
      csvValues: (e) => [e.createdAt, e.code, e.status, e.method, e.path, e.model, e.keyId, e.clientIp, e.requestId, e.id],
      readPage: (after) =>
        withTenant(
          tenantId,
          async (tx) => {
            const where = securityWhere(tenantId, filters);
            if (after) where.AND = [{ OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }];
            const rows = await tx.securityEvent.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: pageSize });
            const last = rows.at(-1);
            return { rows: rows.map((r) => securityEventView.parse(r)), last: last && { createdAt: last.createdAt, id: last.id } };
          },
          db,
        ),
    },
    format,
  );
}
