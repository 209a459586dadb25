import { recordAudit, type AuditContext } from "../audit/record-audit";
import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { AppError } from "../errors/app-error";
import { deliverWebhook, WebhookDeliveryError } from "./deliver";
import { recordWebhookEvent, webhookEventId } from "./emit-event";
import { webhookDeliveryOutput, type WebhookDeliveryView } from "./webhook-schemas";

/**
 * Sends a `webhook.test` event to one endpoint now (one attempt, no retries)
 * and returns the delivery as recorded: status code or error included.
 */
export async function testWebhookEndpoint(
  tenantId: string,
  endpointId: string,
  ctx: AuditContext,
  opts: { now?: Date; db?: Db } = {},
): Promise<WebhookDeliveryView> {
  const db = opts.db ?? getDb();
  const at = opts.now ?? new Date();
  const [deliveryId] = await withTenant(
    tenantId,
    async (tx) => {
      const endpoint = await tx.webhookEndpoint.findFirst({ where: { id: endpointId, tenantId }, select: { id: true } });
      if (!endpoint) throw new AppError("not_found", "Webhook endpoint not found");
      const ids = await recordWebhookEvent(tx, tenantId, {
        id: webhookEventId(tenantId, "webhook.test", endpointId, at.toISOString(), crypto.randomUUID()),
        type: "webhook.test",
        data: { message: "A test event from ModelGate", endpointId },
        at,
        endpointId,
      });
      await recordAudit(tx, tenantId, { ...ctx, action: "webhook.test", target: { type: "webhook_endpoint", id: endpointId } });
      return ids;
    },
    db,
  );
  try {
    return (await deliverWebhook(tenantId, deliveryId!, { final: true, now: at, db }))!;
  } catch (err) {
    if (!(err instanceof WebhookDeliveryError)) throw err;
    const row = await withTenant(tenantId, (tx) => tx.webhookDelivery.findFirstOrThrow({ where: { id: deliveryId!, tenantId } }), db);
    return webhookDeliveryOutput.parse(row);
  }
}
