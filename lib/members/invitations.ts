import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { recordAudit } from "../audit/record-audit";
import { getConfig } from "../config/env";
import type { TxClient } from "../db/client";
import type { Role } from "../db/generated/enums";
import { AppError } from "../errors/app-error";
import { canManageOwners } from "../auth/permissions";
import { invitationOutput, type InvitationStatus, type InvitationView } from "./member-schemas";
import type { MemberChangeContext } from "./member-changes";

/** How long an invitation link stays good. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored form of an invitation token; null for a string that cannot be one. */
export function invitationTokenHash(token: string): Buffer | null {
  return TOKEN.test(token) ? createHash("sha256").update(token).digest() : null;
}

export function invitationUrl(token: string): string {
  return `${getConfig().PUBLIC_URL}/invite/${token}`;
}

type InvitationRow = {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  invitedBy: string | null;
};

export function statusOf(row: Pick<InvitationRow, "expiresAt" | "acceptedAt" | "revokedAt">, now = Date.now()): InvitationStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= now ? "expired" : "pending";
}

const ROW_SELECT = {
  id: true, email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, createdAt: true, invitedBy: true,
} as const;

async function viewsOf(tx: TxClient, rows: InvitationRow[]): Promise<InvitationView[]> {
  const ids = [...new Set(rows.map((r) => r.invitedBy).filter((id): id is string => Boolean(id)))];
  const users = ids.length ? await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } }) : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  return rows.map((r) =>
    invitationOutput.parse({ ...r, status: statusOf(r), invitedBy: (r.invitedBy && byId.get(r.invitedBy)) || null }),
  );
}

/** Invitations not yet accepted or revoked (expired ones too, marked so), newest first. */
export async function listOpenInvitations(tx: TxClient, tenantId: string): Promise<InvitationView[]> {
  const rows = await tx.invitation.findMany({
    where: { tenantId, acceptedAt: null, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: ROW_SELECT,
  });
  return viewsOf(tx, rows);
}

/**
 * Invites `email` to the tenant with `role`. Returns the invitation and the
 * link, which holds the only copy of the token (the database keeps its
 * SHA-256): shown once to the inviter, who passes it on.
 */
export async function createInvitation(
  tx: TxClient,
  ctx: MemberChangeContext,
  input: { email: string; role: Role },
): Promise<{ invitation: InvitationView; url: string }> {
  if (input.role === "owner" && !canManageOwners(ctx.actorRole)) {
    throw new AppError("forbidden", "Only owners can invite owners");
  }
  const member = await tx.membership.findFirst({ where: { tenantId: ctx.tenantId, user: { email: input.email } }, select: { id: true } });
  if (member) throw new AppError("conflict", "email: already a member", { fields: { email: "This person is already a member" } });
  const open = await tx.invitation.findFirst({
    where: { tenantId: ctx.tenantId, email: input.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  if (open) {
    throw new AppError("conflict", "email: already invited", {
      fields: { email: "This email already has a pending invitation. Revoke it to send a new one." },
    });
  }
  const token = randomBytes(32).toString("base64url");
  const row = await tx.invitation.create({
    data: {
      tenantId: ctx.tenantId,
      email: input.email,
      role: input.role,
      tokenHash: new Uint8Array(invitationTokenHash(token)!),
      invitedBy: ctx.actor.type === "user" ? (ctx.actor.id ?? null) : null,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    },
    select: ROW_SELECT,
  });
  await recordAudit(tx, ctx.tenantId, {
    action: "invitation.create",
    actor: ctx.actor,
    target: { type: "invitation", id: row.id },
    requestId: ctx.requestId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    metadata: { email: row.email, role: row.role, expires_at: row.expiresAt.toISOString() },
  });
  const [invitation] = await viewsOf(tx, [row]);
  return { invitation: invitation!, url: invitationUrl(token) };
}

/** Revokes an open invitation; 404 for an unknown (or another tenant's) id, 409 once accepted. */
export async function revokeInvitation(tx: TxClient, ctx: MemberChangeContext, id: string): Promise<void> {
  const row = UUID.test(id)
    ? await tx.invitation.findFirst({ where: { id, tenantId: ctx.tenantId }, select: ROW_SELECT })
    : null;
  if (!row) throw new AppError("not_found", "Invitation not found");
  if (row.role === "owner" && !canManageOwners(ctx.actorRole)) throw new AppError("forbidden", "Only owners can revoke an owner invitation");
  const { count } = await tx.invitation.updateMany({
    where: { id, tenantId: ctx.tenantId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count !== 1) throw new AppError("conflict", `This invitation was already ${statusOf(row)}`);
  await recordAudit(tx, ctx.tenantId, {
    action: "invitation.revoke",
    actor: ctx.actor,
    target: { type: "invitation", id },
    requestId: ctx.requestId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    metadata: { email: row.email, role: row.role },
  });
}
