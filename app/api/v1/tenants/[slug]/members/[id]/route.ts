import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors/app-error";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { findMember } from "@/lib/console/members";

export const GET = withTenantRoute<{ slug: string; id: string }>(
  async ({ tenant, params, inTenant }) => {
    const member = await inTenant((tx) => findMember(tx, tenant.id, params.id));
    if (!member) throw new AppError("not_found", "Member not found");
    return NextResponse.json({ data: member });
  },
  { permission: "members.read" },
);
