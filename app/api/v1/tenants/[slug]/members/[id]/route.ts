import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/auth/route-common";
import { userAuditContext } from "@/lib/auth/request-meta";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { findMember } from "@/lib/console/members";
import { AppError } from "@/lib/errors/app-error";
import { parseInput } from "@/lib/errors/validation";
import { changeMemberRole, removeMember } from "@/lib/members/member-changes";
import { changeRoleInput } from "@/lib/members/member-schemas";

type Params = { slug: string; id: string };

export const GET = withTenantRoute<Params>(
  async ({ tenant, params, inTenant }) => {
    const member = await inTenant((tx) => findMember(tx, tenant.id, params.id));
    if (!member) throw new AppError("not_found", "Member not found");
    return NextResponse.json({ data: member });
  },
  { permission: "members.read" },
);

/**
 * Changes a member's role (step-up). Only owners grant or take away the owner
 * role; the last owner cannot be demoted (409).
 */
export const PATCH = withTenantRoute<Params>(
  async (ctx) => {
    const { role } = parseInput(changeRoleInput, await readJsonBody(ctx.req));
    const change = { ...userAuditContext(ctx), tenantId: ctx.tenant.id, actorRole: ctx.membership.role };
    const member = await ctx.inTenant((tx) => changeMemberRole(tx, change, ctx.params.id, role));
    return NextResponse.json({ data: member });
  },
  { permission: "members.write", stepUp: true },
);

/** Removes a member (step-up); never the last owner (409). */
export const DELETE = withTenantRoute<Params>(
  async (ctx) => {
    const change = { ...userAuditContext(ctx), tenantId: ctx.tenant.id, actorRole: ctx.membership.role };
    await ctx.inTenant((tx) => removeMember(tx, change, ctx.params.id));
    return new NextResponse(null, { status: 204 });
  },
  { permission: "members.write", stepUp: true },
);
