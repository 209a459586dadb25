import "server-only";
import { recordAudit, type AuditContext } from "../audit/record-audit";
import type { TxClient } from "../db/client";
import type { Role } from "../db/generated/enums";
import { AppError } from "../errors/app-error";
import { canManageOwners } from "../auth/permissions";
import { memberOutput, type Member } from "../console/schemas";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who changes a membership: their role decides whether owners may be touched. */
export type MemberChangeContext = AuditContext & { tenantId: string; actorRole: Role };

const MEMBER_SELECT = {
  id: true,
  role: true,
  createdAt: true,
  user: { select: { id: true, email: true, name: true } },
} as const;

async function findTarget(tx: TxClient, tenantId: string, id: string) {
  const row = UUID.test(id) ? await tx.membership.findFirst({ where: { id, tenantId }, select: MEMBER_SELECT }) : null;
  if (!row) throw new AppError("not_found", "Member not found");
  return row;
}

function assertMayTouchOwners(ctx: MemberChangeContext, roles: Role[]): void {
  if (roles.includes("owner") && !canManageOwners(ctx.actorRole)) {
    throw new AppError("forbidden", "Only owners can grant or take away the owner role, or remove an owner");
  }
}

/**
 * Refuses to leave the tenant without an owner. The owners' rows are locked
 * (FOR UPDATE), so two owners demoting each other at the same moment are
 * serialised and the second is refused.
 */
async function assertAnotherOwnerRemains(tx: TxClient, tenantId: string, action: string): Promise<void> {
  const owners = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM memberships WHERE tenant_id = ${tenantId}::uuid AND role = 'owner' FOR UPDATE`;
  if (owners.length <= 1) {
    throw new AppError("conflict", `You cannot ${action} the last owner. Make another member an owner first.`);
  }
}

/** Changes a member's role, in the caller's tenant transaction, with its audit entry. */
export async function changeMemberRole(tx: TxClient, ctx: MemberChangeContext, memberId: string, role: Role): Promise<Member> {
  const target = await findTarget(tx, ctx.tenantId, memberId);
  if (target.role === role) return memberOutput.parse(target);
  assertMayTouchOwners(ctx, [target.role, role]);
  if (target.role === "owner") await assertAnotherOwnerRemains(tx, ctx.tenantId, "demote");
  const updated = await tx.membership.update({ where: { id: target.id }, data: { role }, select: MEMBER_SELECT });
  await recordAudit(tx, ctx.tenantId, {
    action: "member.role_change",
    actor: ctx.actor,
    target: { type: "membership", id: target.id },
    requestId: ctx.requestId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    metadata: { user_id: target.user.id, email: target.user.email, from: target.role, to: role },
  });
  return memberOutput.parse(updated);
}

/** Removes a member from the tenant, in the caller's tenant transaction, with its audit entry. */
export async function removeMember(tx: TxClient, ctx: MemberChangeContext, memberId: string): Promise<void> {
  const target = await findTarget(tx, ctx.tenantId, memberId);
  assertMayTouchOwners(ctx, [target.role]);
  if (target.role === "owner") await assertAnotherOwnerRemains(tx, ctx.tenantId, "remove");
  await tx.membership.delete({ where: { id: target.id } });
  await recordAudit(tx, ctx.tenantId, {
    action: "member.remove",
    actor: ctx.actor,
    target: { type: "membership", id: target.id },
    requestId: ctx.requestId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    metadata: { user_id: target.user.id, email: target.user.email, role: target.role },
  });
}
