import "server-only";
import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb } from "../db/client";
import type { Role } from "../db/generated/enums";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { invitationTokenHash, statusOf } from "./invitations";
import type { InvitationStatus } from "./member-schemas";

export type InvitationPreview = {
  id: string;
  tenant: { id: string; name: string; slug: string; status: "active" | "suspended" };
  email: string;
  role: Role;
  status: InvitationStatus;
  expiresAt: Date;
  invitedBy: { name: string; email: string } | null;
};

/**
 * The invitation a link's token names, whatever its state, or null. Read
 * through the `invitation_token_lookup` policy: knowing the token (hence its
 * hash) is what entitles the reader to this one row, before joining.
 */
export async function findInvitationByToken(token: string): Promise<InvitationPreview | null> {
  const hash = invitationTokenHash(token);
  if (!hash) return null;
  const db = getDb();
  const row = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.invitation_token_hash', ${hash.toString("hex")}, true)`;
    return tx.invitation.findFirst({
      where: { tokenHash: new Uint8Array(hash) },
      select: { id: true, tenantId: true, email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, invitedBy: true },
    });
  });
  if (!row) return null;
  const [tenant, inviter] = await Promise.all([
    db.tenant.findUnique({ where: { id: row.tenantId }, select: { id: true, name: true, slug: true, status: true } }),
    row.invitedBy ? db.user.findUnique({ where: { id: row.invitedBy }, select: { name: true, email: true } }) : null,
  ]);
  if (!tenant) return null;
  return { id: row.id, tenant, email: row.email, role: row.role, status: statusOf(row), expiresAt: row.expiresAt, invitedBy: inviter };
}

const REFUSALS: Record<Exclude<InvitationStatus, "pending">, () => AppError> = {
  expired: () => new AppError("invitation_expired", "This invitation has expired. Ask for a new one."),
  accepted: () => new AppError("invitation_used", "This invitation has already been used. Each link works once."),
  revoked: () => new AppError("invitation_revoked", "This invitation was revoked. Ask for a new one."),
};

/**
 * Accepts an invitation for the signed-in `user`: the link must be pending
 * (not expired, used or revoked — each says so), addressed to the user's
 * email, for an active tenant the user is not yet in. Marking it used,
 * creating the membership and the audit entries happen in one tenant
 * transaction, and the `WHERE accepted_at IS NULL` makes a link single-use
 * even under concurrent accepts.
 */
export async function acceptInvitation(
  token: string,
  user: { id: string; email: string },
  ctx: Omit<AuditContext, "actor">,
): Promise<{ tenant: { slug: string; name: string }; role: Role }> {
  const invitation = await findInvitationByToken(token);
  if (!invitation) throw new AppError("not_found", "This invitation link is not valid. Check that you copied all of it.");
  if (invitation.status !== "pending") throw REFUSALS[invitation.status]();
  if (invitation.email !== user.email.toLowerCase()) {
    throw new AppError("invitation_email_mismatch", `This invitation is for ${invitation.email}. Sign in with that account to accept it.`);
  }
  if (invitation.tenant.status === "suspended") throw new AppError("tenant_suspended", "This tenant is suspended");
  const { tenant } = invitation;
  await withTenant(tenant.id, async (tx) => {
    const existing = await tx.membership.findFirst({ where: { tenantId: tenant.id, userId: user.id }, select: { id: true } });
    if (existing) throw new AppError("conflict", `You are already a member of ${tenant.name}`);
    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, tenantId: tenant.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date(), acceptedBy: user.id },
    });
    if (count !== 1) throw REFUSALS.accepted();
    const membership = await tx.membership.create({
      data: { tenantId: tenant.id, userId: user.id, role: invitation.role },
      select: { id: true },
    });
    const actor = { type: "user" as const, id: user.id };
    await recordAudit(tx, tenant.id, {
      action: "invitation.accept",
      actor,
      target: { type: "invitation", id: invitation.id },
      ...ctx,
      metadata: { email: invitation.email, role: invitation.role },
    });
    await recordAudit(tx, tenant.id, {
      action: "member.add",
      actor,
      target: { type: "membership", id: membership.id },
      ...ctx,
      metadata: { user_id: user.id, email: user.email, role: invitation.role, via: "invitation" },
    });
  });
  return { tenant: { slug: tenant.slug, name: tenant.name }, role: invitation.role };
}
