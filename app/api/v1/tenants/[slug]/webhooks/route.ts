import { NextResponse } from "next/server";
import { auditContextOf } from "@/lib/auth/api-key-auth";
import { readJsonBody } from "@/lib/auth/route-common";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { parseInput } from "@/lib/errors/validation";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { createWebhookInput } from "@/lib/webhooks/webhook-schemas";

/** The tenant's webhook endpoints (never their secrets: listWebhookEndpoints returns them through webhookEndpointOutput). */
export const GET = withTenantRoute(
  async ({ tenant }) => NextResponse.json({ data: await listWebhookEndpoints(tenant.id) }),
  { permission: "tenant.settings.write" },
);

/** Adds an endpoint. Its signing secret (`data.secret`) is in this response and never again. */
export const POST = withTenantRoute(
  async (ctx) => {
    const input = parseInput(createWebhookInput, await readJsonBody(ctx.req));
    const { endpoint, secret } = await createWebhookEndpoint(ctx.tenant.id, input, auditContextOf(ctx));
    return NextResponse.json(
      { data: { ...endpoint, secret } },
      { status: 201, headers: { "cache-control": "no-store" } },
    );
  },
  { permission: "tenant.settings.write", stepUp: true },
);
