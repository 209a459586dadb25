import type { TxClient } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { securityEventView, type SecurityEventFilters, type SecurityEventView } from "./audit-schemas";

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
  const where: Prisma.SecurityEventWhereInput = { tenantId };
  if (filters.code) where.code = filters.code;
  if (filters.keyId) where.keyId = filters.keyId;
  if (filters.ip) where.clientIp = filters.ip;
  if (filters.from || filters.to) where.createdAt = { gte: filters.from, lte: filters.to };
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
