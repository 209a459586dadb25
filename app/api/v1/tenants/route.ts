import { NextResponse } from "next/server";
import { clientIpOf, readJsonBody } from "@/lib/auth/route-common";
import { withUserRoute } from "@/lib/auth/user-route";
import { listUserTenants } from "@/lib/console/user-tenants";
import { parseInput } from "@/lib/errors/validation";
import { createTenant } from "@/lib/tenants/create-tenant";
import { createTenantInput, tenantOutput } from "@/lib/tenants/tenant-schemas";

/** The signed-in user's tenants, with their role in each. */
export const GET = withUserRoute(async ({ user }) => {
  return NextResponse.json({ data: await listUserTenants(user.id) });
});

/** Creates a tenant; the signed-in user becomes its owner. */
export const POST = withUserRoute(async ({ req, user, requestId }) => {
  const input = parseInput(createTenantInput, await readJsonBody(req));
  const tenant = await createTenant(input, {
    ownerUserId: user.id,
    actor: { type: "user", id: user.id },
    requestId,
    ip: clientIpOf(req),
    userAgent: req.headers.get("user-agent"),
  });
  return NextResponse.json({ data: tenantOutput.parse(tenant) }, { status: 201 });
});
