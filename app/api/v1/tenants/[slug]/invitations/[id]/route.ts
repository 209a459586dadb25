import { NextResponse } from "next/server";
import { userAuditContext } from "@/lib/auth/request-meta";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { revokeInvitation } from "@/lib/members/invitations";

/** Revokes an open invitation: its link stops working. */
export const DELETE = withTenantRoute<{ slug: string; id: string }>(
  async (ctx) => {
    const change = { ...userAuditContext(ctx), tenantId: ctx.tenant.id, actorRole: ctx.membership.role };
    await ctx.inTenant((tx) => revokeInvitation(tx, change, ctx.params.id));
    return new NextResponse(null, { status: 204 });
  },
  { permission: "members.write" },
);
