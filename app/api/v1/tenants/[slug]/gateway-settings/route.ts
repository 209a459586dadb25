import { NextResponse } from "next/server";
import { auditContextOf } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { readGatewaySettings, updateGatewaySettings } from "@/lib/tenants/gateway-settings";
import { updateGatewaySettingsInput } from "@/lib/tenants/gateway-settings-schemas";

/** The tenant's IP allow-list, body limit, tenant-wide rate limit and Redis failure mode. */
export const GET = withTenantRoute(
  async ({ tenant }) => NextResponse.json({ data: await readGatewaySettings(tenant.id) }),
  { permission: "tenant.read" },
);

/** Changes them (fields left out stay). A sensitive action: MFA step-up. */
export const PATCH = withTenantRoute(
  async (ctx) => {
    const input = parseInput(updateGatewaySettingsInput, await readJsonBody(ctx.req));
    return NextResponse.json({ data: await updateGatewaySettings(ctx.tenant.id, input, auditContextOf(ctx)) });
  },
  { permission: "tenant.settings.write", stepUp: true },
);
