import type { Redis } from "ioredis";
import type { Db } from "../../lib/db/client";
import type { QueueClient } from "../../lib/queue/enqueue";
import type { JobPayload } from "../../lib/queue/jobs";
import type { Clock } from "../../lib/quotas/clock";
import { closeQuotaPeriod, notifyQuotaReached, sweepEndedPeriods } from "../../lib/quotas/close-period";

export type QuotaJobDeps = { redis: Redis; queues: QueueClient; db?: Db; clock?: Clock };

/** `quota.close_periods` (job scheduler, platform): queues a close job for every tenant whose quota period ended. */
export async function processQuotaSweep(deps: QuotaJobDeps): Promise<{ queued: number }> {
  return { queued: await sweepEndedPeriods(deps) };
}

/** `quota.close_period`: records one ended period once (idempotent; see closeQuotaPeriod). */
export async function processQuotaClose(payload: JobPayload<"quota.close_period">, deps: QuotaJobDeps) {
  const { closed, record } = await closeQuotaPeriod(payload.tenantId, payload.period, payload.periodKey, deps);
  return { closed, requests: record?.requests ?? null, tokens: record?.tokens ?? null };
}

/** `quota.notify_reached`: the `quota.reached` webhook event, once per period and metric. */
export async function processQuotaReached(payload: JobPayload<"quota.notify_reached">, deps: QuotaJobDeps) {
  return { deliveries: (await notifyQuotaReached(payload, deps)).length };
}
