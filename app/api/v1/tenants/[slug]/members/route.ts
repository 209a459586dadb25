import { NextResponse } from "next/server";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { listMembers } from "@/lib/console/members";

export const GET = withTenantRoute(
  async ({ tenant, inTenant }) => {
    const members = await inTenant((tx) => listMembers(tx, tenant.id));
    return NextResponse.json({ data: members });
  },
  { permission: "members.read" },
);
