import { createHash } from "node:crypto";
import type { Queue } from "bullmq";
import { JOBS, parseJobPayload, type JobName, type JobPayloadInput } from "./jobs";
import { createQueue, QUEUE_NAMES, type QueueConnection, type QueueName } from "./queues";

export type EnqueueOptions = {
  /**
   * Makes the job id deterministic: the same key for the same job (and tenant)
   * adds the job once, for as long as BullMQ still stores it. Any string; it is
   * hashed, never stored as such.
   */
  idempotencyKey?: string;
  delayMs?: number;
};

export type QueueClient = {
  queue(name: QueueName): Queue;
  /** Validates `payload` against the job's schema (JobPayloadError if not) and adds the job. */
  enqueue<N extends JobName>(jobName: N, payload: JobPayloadInput<N>, opts?: EnqueueOptions): Promise<{ jobId: string }>;
  /** Closes the queues; the Redis connection stays with its owner. */
  close(): Promise<void>;
};

/**
 * `{job}.{tenantId|global}.{sha256(key)}`: the tenant is part of the id, so two
 * tenants using the same idempotency key never swallow each other's job.
 * (BullMQ refuses custom ids with `:`; these have none.)
 */
export function jobIdFor(jobName: string, tenantId: string | undefined, idempotencyKey: string): string {
  const digest = createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 40);
  return `${jobName}.${tenantId ?? "global"}.${digest}`;
}

/** The producer side of our queues, one BullMQ Queue per queue name, created on first use. */
export function createQueueClient(opts: QueueConnection): QueueClient {
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName): Queue => {
    if (!QUEUE_NAMES.includes(name)) throw new Error(`unknown queue ${JSON.stringify(name)}`);
    let q = queues.get(name);
    if (!q) {
      q = createQueue(name, opts);
      queues.set(name, q);
    }
    return q;
  };

  return {
    queue,
    async enqueue(jobName, payload, options = {}) {
      const data = parseJobPayload(jobName, payload);
      const definition = JOBS[jobName];
      const tenantId = (data as { tenantId?: string }).tenantId;
      const jobId =
        options.idempotencyKey === undefined ? undefined : jobIdFor(jobName, tenantId, options.idempotencyKey);
      const job = await queue(definition.queue).add(jobName, data, { jobId, delay: options.delayMs });
      return { jobId: job.id! };
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}
