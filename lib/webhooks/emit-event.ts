import { createHash } from "node:crypto";
import type { TxClient } from "../db/client";
import type { QueueClient } from "../queue/enqueue";
import type { WebhookEventType, WebhookPayload } from "./webhook-schemas";

export type WebhookEvent = {
  /**
   * Deterministic for the fact it reports (webhookEventId), so emitting the
   * same event again creates no second delivery: (tenant, endpoint, event id)
   * is unique. It is the `webhook-id` header receivers de-duplicate by.
   */
  id: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
  at: Date;
  /** Only this endpoint (a test event); otherwise every enabled endpoint subscribed to `type`. */
  endpointId?: string;
};

/** `msg_` + a digest of what the event is about: the same fact, the same id. */
export function webhookEventId(tenantId: string, ...parts: string[]): string {
  return `msg_${createHash("sha256").update([tenantId, ...parts].join("\u0000")).digest("base64url").slice(0, 32)}`;
}

/**
 * Records one event for delivery, in the caller's tenant transaction (so it
 * exists if and only if what it reports committed). Returns the ids of the
 * deliveries created now; none for an event recorded before.
 */
export async function recordWebhookEvent(tx: TxClient, tenantId: string, event: WebhookEvent): Promise<string[]> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { tenantId, ...(event.endpointId ? { id: event.endpointId } : { enabled: true }) },
    select: { id: true, eventTypes: true },
  });
  const targets = endpoints.filter((e) => event.endpointId || e.eventTypes.length === 0 || e.eventTypes.includes(event.type));
  if (targets.length === 0) return [];
  const payload: WebhookPayload = { type: event.type, timestamp: event.at.toISOString(), data: event.data };
  const created = await tx.webhookDelivery.createManyAndReturn({
    data: targets.map((e) => ({ tenantId, endpointId: e.id, eventId: event.id, eventType: event.type, payload: payload as object })),
    skipDuplicates: true,
    select: { id: true },
  });
  return created.map((d) => d.id);
}

/** Queues the deliveries (after the transaction that recorded them committed). */
export async function enqueueDeliveries(queues: QueueClient, tenantId: string, deliveryIds: readonly string[]): Promise<void> {
  for (const deliveryId of deliveryIds) {
    await queues.enqueue("webhook.deliver", { tenantId, deliveryId }, { idempotencyKey: deliveryId });
  }
}
