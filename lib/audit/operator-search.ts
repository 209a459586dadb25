import type { TxClient } from "../db/client";
import type { OperatorAuditEntryView, AuditFilters } from "./audit-schemas";
import { operatorAuditEntryView } from "./audit-schemas";
import { actorLabeller, auditWhere, toEntryView } from "./query-entries";
import { decodeCursor, encodeCursor } from "./security-events";

/**
 * The platform operator's search across every tenant's audit trail, newest
 * first. `tx` must come from withOperatorRead (read-only, and the read itself
 * is recorded in the platform audit log).
 */
export async function searchAuditAcrossTenants(
  tx: TxClient,
  filters: AuditFilters & { tenant?: string; cursor?: string; limit: number },
): Promise<{ entries: OperatorAuditEntryView[]; nextCursor: string | null }> {
  const where = await auditWhere(tx, filters);
  if (filters.tenant) {
    const tenant = await tx.tenant.findUnique({ where: { slug: filters.tenant }, select: { id: true } });
    if (!tenant) return { entries: [], nextCursor: null };
    where.tenantId = tenant.id;
  }
  if (filters.cursor) {
    const c = decodeCursor(filters.cursor);
    where.AND = [{ OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] }];
  }
  const rows = await tx.auditLog.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filters.limit + 1,
    include: { tenant: { select: { id: true, slug: true, name: true } } },
  });
  const more = rows.length > filters.limit;
  const shown = more ? rows.slice(0, filters.limit) : rows;
  const label = await actorLabeller(tx, shown);
  return {
    entries: shown.map((r) => operatorAuditEntryView.parse({ ...toEntryView(r, label), createdAt: r.createdAt, tenant: r.tenant })),
    nextCursor: more ? encodeCursor(shown.at(-1)!.createdAt, shown.at(-1)!.id) : null,
  };
}
