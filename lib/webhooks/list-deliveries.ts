import { getDb, type Db } from "../db/client";
import { withTenant } from "../db/tenant-scope";
import { webhookDeliveryOutput, type WebhookDeliveryView } from "./webhook-schemas";

/** The tenant's most recent deliveries (newest first), optionally of one endpoint. */
export async function listWebhookDeliveries(
  tenantId: string,
  opts: { endpointId?: string; limit?: number } = {},
  db: Db = getDb(),
): Promise<WebhookDeliveryView[]> {
  const rows = await withTenant(
    tenantId,
    (tx) =>
      tx.webhookDelivery.findMany({
        where: { tenantId, ...(opts.endpointId && { endpointId: opts.endpointId }) },
        orderBy: { createdAt: "desc" },
        take: Math.min(200, opts.limit ?? 50),
      }),
    db,
  );
  return rows.map((r) => webhookDeliveryOutput.parse(r));
}
