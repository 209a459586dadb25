import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/auth/route-common";
import { userAuditContext } from "@/lib/auth/request-meta";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { createInvitation, listOpenInvitations } from "@/lib/members/invitations";
import { createInvitationInput } from "@/lib/members/member-schemas";

/** Open invitations (pending and expired), newest first. */
export const GET = withTenantRoute(
  async ({ tenant, inTenant }) => {
    return NextResponse.json({ data: await inTenant((tx) => listOpenInvitations(tx, tenant.id)) });
  },
  { permission: "members.write" },
);

/**
 * Invites someone by email with a role (step-up: it grants access). The
 * answer carries the invitation link once; only its hash is stored.
 */
export const POST = withTenantRoute(
  async (ctx) => {
    const input = parseInput(createInvitationInput, await readJsonBody(ctx.req));
    const change = { ...userAuditContext(ctx), tenantId: ctx.tenant.id, actorRole: ctx.membership.role };
    const { invitation, url } = await ctx.inTenant((tx) => createInvitation(tx, change, input));
    return NextResponse.json({ data: { ...invitation, url } }, { status: 201 });
  },
  { permission: "members.write", stepUp: true },
);
