import type { TxClient } from "../db/client";
import type { Prisma } from "../db/generated/client";
import type { ActorType } from "../db/generated/enums";
import { auditEntryView, type AuditEntryView, type AuditFilters } from "./audit-schemas";

type AuditRow = Prisma.AuditLogGetPayload<object>;

/** The Prisma filter of `filters` (the tenant is added by the caller, or left out by the operator's search). */
export async function auditWhere(tx: TxClient, filters: AuditFilters): Promise<Prisma.AuditLogWhereInput> {
  const where: Prisma.AuditLogWhereInput = {};
  if (filters.actorType) where.actorType = filters.actorType;
  if (filters.actor) {
    if (filters.actor.includes("@")) {
      const user = await tx.user.findUnique({ where: { email: filters.actor.toLowerCase() }, select: { id: true } });
      where.actorId = user?.id ?? "00000000-0000-0000-0000-000000000000";
    } else {
      where.actorId = filters.actor;
    }
  }
  if (filters.action) {
    const prefix = /[.*]$/.test(filters.action) ? filters.action.replace(/\*+$/, "") : null;
    where.action = prefix ? { startsWith: prefix } : filters.action;
  }
  if (filters.target) where.OR = [{ targetId: filters.target }, { targetType: filters.target }];
  if (filters.outcome) where.outcome = filters.outcome;
  if (filters.from || filters.to) where.createdAt = { gte: filters.from, lte: filters.to };
  return where;
}

/** Readable actor labels (a user's email) for a page of entries. */
export async function actorLabeller(tx: TxClient, rows: { actorType: ActorType; actorId: string | null }[]) {
  const userIds = [...new Set(rows.filter((r) => (r.actorType === "user" || r.actorType === "operator") && r.actorId).map((r) => r.actorId!))];
  const users = userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [];
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return (type: ActorType, id: string | null): string => {
    switch (type) {
      case "user":
        return (id && emails.get(id)) ?? "Deleted user";
      case "api_key":
        return id ? `API key ${id.slice(0, 8)}` : "API key";
      case "operator":
        return id && emails.get(id) ? `Operator ${emails.get(id)}` : "Platform operator";
      case "system":
        return id ? `System (${id})` : "System";
    }
  };
}

export function toEntryView(r: AuditRow, label: (type: ActorType, id: string | null) => string): AuditEntryView {
  return auditEntryView.parse({
    id: r.id,
    seq: Number(r.seq),
    action: r.action,
    actor: { type: r.actorType, id: r.actorId, label: label(r.actorType, r.actorId) },
    target: r.targetType || r.targetId ? { type: r.targetType, id: r.targetId } : null,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.userAgent,
    requestId: r.requestId,
    details: r.metadata && typeof r.metadata === "object" && !Array.isArray(r.metadata) ? r.metadata : {},
    createdAt: r.createdAt,
    prevHash: r.prevHash,
    entryHash: r.entryHash,
  });
}

/**
 * One page of the tenant's audit entries matching `filters`, newest first
 * (by seq). `nextCursor` is the seq to pass as `cursor` for the next page.
 * `tx` must be scoped to the tenant.
 */
export async function queryAuditEntries(
  tx: TxClient,
  tenantId: string,
  filters: AuditFilters,
  page: { cursor?: number; limit: number },
): Promise<{ entries: AuditEntryView[]; nextCursor: number | null }> {
  const where = { ...(await auditWhere(tx, filters)), tenantId, ...(page.cursor ? { seq: { lt: BigInt(page.cursor) } } : {}) };
  const rows = await tx.auditLog.findMany({ where, orderBy: { seq: "desc" }, take: page.limit + 1 });
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const label = await actorLabeller(tx, shown);
  return { entries: shown.map((r) => toEntryView(r, label)), nextCursor: more ? Number(shown.at(-1)!.seq) : null };
}
