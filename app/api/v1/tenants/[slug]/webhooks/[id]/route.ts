import { auditContextOf } from "@/lib/auth/api-key-auth";
import { withTenantRoute } from "@/lib/auth/tenant-route";
import { deleteWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { parseEndpointId } from "@/lib/webhooks/webhook-responses";

/** Removes the endpoint and its delivery log; queued deliveries to it are dropped. */
export const DELETE = withTenantRoute<{ slug: string; id: string }>(
  async (ctx) => {
    await deleteWebhookEndpoint(ctx.tenant.id, parseEndpointId(ctx.params.id), auditContextOf(ctx));
    return new Response(null, { status: 204 });
  },
  { permission: "tenant.settings.write", stepUp: true },
);
