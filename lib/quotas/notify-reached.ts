import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { createQueueClient, type QueueClient } from "../queue/enqueue";
import type { QuotaReachedEvent } from "./quota-enforcer";

/**
 * Where a gateway sends "quota reached": a `quota.notify_reached` job, with
 * an idempotency key per (period, metric), so however many instances report
 * it, the tenant is notified once per period (the worker's delivery rows are
 * unique per event as well). The queue is opened on first use.
 */
export function quotaReachedNotifier(redis: Redis, logger: Logger, opts: { prefix?: string } = {}) {
  let queues: QueueClient | undefined;
  return {
    notify(event: QuotaReachedEvent): void {
      queues ??= createQueueClient({ connection: redis, prefix: opts.prefix });
      const { tenantId, period, periodKey, metric, limit, used, hard } = event;
      queues
        .enqueue("quota.notify_reached", { tenantId, period, periodKey, metric, limit, used, hard }, { idempotencyKey: `${period}:${periodKey}:${metric}` })
        .catch((err: Error) => logger.warn({ tenant_id: tenantId, metric, err: { message: err.message } }, "quota-reached notification not queued"));
    },
    async close(): Promise<void> {
      await queues?.close();
    },
  };
}
