import "server-only";
import type { TxClient } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { memberOutput, type Member } from "./schemas";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MEMBER_SELECT = {
  id: true,
  role: true,
  createdAt: true,
  user: { select: { id: true, email: true, name: true } },
} as const;

/** A tenant's members, oldest first. `tx` must be scoped to `tenantId` (withTenant). */
export async function listMembers(tx: TxClient, tenantId: string): Promise<Member[]> {
  const rows = await tx.membership.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: MEMBER_SELECT,
  });
  return rows.map((r) => memberOutput.parse(r));
}

/**
 * One membership by id within `tenantId`, or null — also for another tenant's
 * membership id, which the caller answers with 404 like any unknown id.
 */
export async function findMember(tx: TxClient, tenantId: string, id: string): Promise<Member | null> {
  if (!UUID.test(id)) return null;
  const row = await tx.membership.findFirst({ where: { id, tenantId }, select: MEMBER_SELECT });
  return row ? memberOutput.parse(row) : null;
}

export function countMembers(tx: TxClient, tenantId: string): Promise<number> {
  return tx.membership.count({ where: { tenantId } });
}

/** For pages: the tenant's members, read in a transaction scoped to it. */
export function listTenantMembers(tenantId: string): Promise<Member[]> {
  return withTenant(tenantId, (tx) => listMembers(tx, tenantId));
}
