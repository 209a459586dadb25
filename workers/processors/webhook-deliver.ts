import type { Job } from "bullmq";
import type { Db } from "../../lib/db/client";
import type { JobPayload } from "../../lib/queue/jobs";
import { deliverWebhook } from "../../lib/webhooks/deliver";

/**
 * `webhook.deliver`: one attempt. A failed attempt throws, and BullMQ retries
 * with exponential backoff (QUEUE_JOB_OPTIONS.webhooks); the last attempt
 * marks the delivery `failed` (it then shows in the dead-letter view).
 */
export async function processWebhookDelivery(payload: JobPayload<"webhook.deliver">, job: Pick<Job, "attemptsMade" | "opts">, db?: Db) {
  const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const delivery = await deliverWebhook(payload.tenantId, payload.deliveryId, { final, db });
  return { status: delivery?.status ?? "gone" };
}
