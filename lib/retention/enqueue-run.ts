import { getQueueClient } from "../queue/shared-queues";
import type { QueueClient } from "../queue/enqueue";

/**
 * Queues a manual retention run of one tenant (the console's "Run now").
 * Requests within the same minute share one job, so a double click runs once.
 */
export async function enqueueRetentionRun(
  tenantId: string,
  now: Date = new Date(),
  queues: QueueClient = getQueueClient(),
): Promise<{ jobId: string; queuedAt: string }> {
  const minute = now.toISOString().slice(0, 16);
  const { jobId } = await queues.enqueue("retention.tenant", { tenantId, trigger: "manual" }, { idempotencyKey: `manual:${minute}` });
  return { jobId, queuedAt: now.toISOString() };
}
