import "server-only";
import type { TxClient } from "../db/client";
import type { ActorType as AuditActorType } from "../db/generated/enums";
import { auditEntryOutput, type AuditEntry } from "../console/schemas";

/**
 * The newest `limit` audit entries of `tenantId`, newest first, with a
 * readable actor label (a user's email). `tx` must be scoped to the tenant.
 */
export async function listAuditEntries(tx: TxClient, tenantId: string, limit: number): Promise<AuditEntry[]> {
  const rows = await tx.auditLog.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      action: true,
      actorType: true,
      actorId: true,
      targetType: true,
      targetId: true,
      outcome: true,
      requestId: true,
      createdAt: true,
    },
  });
  const userIds = [
    ...new Set(rows.filter((r) => r.actorType === "user" && r.actorId).map((r) => r.actorId!)),
  ];
  const users = userIds.length
    ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } })
    : [];
  const emails = new Map(users.map((u) => [u.id, u.email]));
  const labelOf = (type: AuditActorType, id: string | null): string => {
    switch (type) {
      case "user":
        return (id && emails.get(id)) ?? "Deleted user";
      case "api_key":
        return id ? `API key ${id.slice(0, 8)}` : "API key";
      case "operator":
        return "Platform operator";
      case "system":
        return id ? `System (${id})` : "System";
    }
  };
  return rows.map((r) =>
    auditEntryOutput.parse({
      id: r.id,
      action: r.action,
      actor: {
        type: r.actorType,
        id: r.actorId,
        label: labelOf(r.actorType, r.actorId),
      },
      target: r.targetType ? { type: r.targetType, id: r.targetId } : null,
      outcome: r.outcome,
      requestId: r.requestId,
      createdAt: r.createdAt,
    }),
  );
}
