import { NextResponse } from "next/server";
import { auditContextOf } from "@/lib/auth/api-key-auth";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { testWebhookEndpoint } from "@/lib/webhooks/test-endpoint";
import { parseEndpointId } from "@/lib/webhooks/webhook-responses";

/** (The delivery comes parsed through webhookDeliveryOutput.) Sends a signed `webhook.test` event to the endpoint now (one attempt) and returns the delivery: status code or error. */
export const POST = withTenantRoute<{ slug: string; id: string }>(
  async (ctx) => {
    const delivery = await testWebhookEndpoint(ctx.tenant.id, parseEndpointId(ctx.params.id), auditContextOf(ctx));
    return NextResponse.json({ data: delivery });
  },
  { permission: "tenant.settings.write" },
);
