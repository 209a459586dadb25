import type { Db, TxClient } from "../db/client";
import { getDb } from "../db/client";
import { Prisma } from "../db/generated/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import {
  securityEventSummaryView,
  securityEventView,
  type SecurityEventExportFilters,
  type SecurityEventFilters,
  type SecurityEventSummary,
  type SecurityEventSummaryFilters,
  type SecurityEventView,
} from "./audit-schemas";
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

const HOUR = 3_600_000;
const MAX_SUMMARY_DAYS = 400;
const DAY = 24 * HOUR;

/**
 * Refused requests of the tenant over time, by reason, with the client
 * addresses and keys refused most, under the list's filters. The range
 * defaults to the last 24 hours (`to` now, `from` a day before `to`); it is
 * cut into hours up to two days, else into UTC days, and every bucket is
 * there, empty ones included. `tx` must be scoped to the tenant; the counting
 * happens in Postgres, so a flood of denials costs one grouped scan.
 */
export async function summarizeSecurityEvents(
  tx: TxClient,
  tenantId: string,
  filters: SecurityEventSummaryFilters,
  now = new Date(),
): Promise<SecurityEventSummary> {
  const to = filters.to ?? now;
  const from = filters.from ?? new Date(to.getTime() - DAY);
  if (from > to) throw new AppError("validation_failed", "from: from must not be after to", { fields: { from: "from must not be after to" } });
  if (to.getTime() - from.getTime() > MAX_SUMMARY_DAYS * DAY) {
    const message = `The chart covers at most ${MAX_SUMMARY_DAYS} days`;
    throw new AppError("validation_failed", `from: ${message}`, { fields: { from: message } });
  }
  const granularity = to.getTime() - from.getTime() <= 2 * DAY ? "hour" : "day";
  const where = securityWhere(tenantId, { ...filters, from, to });
  const conditions = [
    Prisma.sql`tenant_id = ${tenantId}::uuid`,
    Prisma.sql`created_at >= ${from} AND created_at <= ${to}`,
    ...(filters.code ? [Prisma.sql`code = ${filters.code}`] : []),
    ...(filters.keyId ? [Prisma.sql`key_id = ${filters.keyId}::uuid`] : []),
    ...(filters.ip ? [Prisma.sql`client_ip = ${filters.ip}`] : []),
  ];
  const unit = granularity === "hour" ? Prisma.sql`'hour'` : Prisma.sql`'day'`;
  const [rows, byIp, byKey] = await Promise.all([
    tx.$queryRaw<Array<{ start: Date; code: string; count: number }>>`
      SELECT date_trunc(${unit}, created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start, code, count(*)::int AS count
      FROM security_events WHERE ${Prisma.join(conditions, " AND ")}
      GROUP BY 1, 2 ORDER BY 1`,
    tx.securityEvent.groupBy({ by: ["clientIp"], where: { ...where, clientIp: filters.ip ?? { not: null } }, _count: { _all: true }, orderBy: { _count: { clientIp: "desc" } }, take: 5 }),
    tx.securityEvent.groupBy({ by: ["keyId"], where: { ...where, keyId: filters.keyId ?? { not: null } }, _count: { _all: true }, orderBy: { _count: { keyId: "desc" } }, take: 5 }),
  ]);
  const step = granularity === "hour" ? HOUR : DAY;
  const first = Math.floor(from.getTime() / step) * step;
  const buckets = new Map<number, { start: string; total: number; counts: Record<string, number> }>();
  for (let t = first; t <= to.getTime(); t += step) buckets.set(t, { start: new Date(t).toISOString(), total: 0, counts: {} });
  const byCode = new Map<string, number>();
  for (const r of rows) {
    const b = buckets.get(r.start.getTime());
    if (b) {
      b.counts[r.code] = (b.counts[r.code] ?? 0) + r.count;
      b.total += r.count;
    }
    byCode.set(r.code, (byCode.get(r.code) ?? 0) + r.count);
  }
  return securityEventSummaryView.parse({
    from: from.toISOString(),
    to: to.toISOString(),
    granularity,
    total: [...byCode.values()].reduce((a, b) => a + b, 0),
    byCode: [...byCode].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    buckets: [...buckets.values()],
    topIps: byIp.map((g) => ({ ip: g.clientIp!, count: g._count._all })),
    topKeys: byKey.map((g) => ({ keyId: g.keyId!, count: g._count._all })),
  });
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
