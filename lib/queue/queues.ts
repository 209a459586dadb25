import { Queue, type DefaultJobOptions } from "bullmq";
import type { Redis } from "ioredis";

/** Every BullMQ key lives under `mg:q:{queue}:...` (tests pass their own prefix). */
export const QUEUE_PREFIX = "mg:q";

/**
 * `maintenance`: short platform jobs (heartbeat). `retention`: deleting expired
 * tenant data, long-running, kept apart so it never delays the short ones.
 * `webhooks`: outgoing webhook deliveries (lib/webhooks), retried with
 * exponential backoff for about a day, so a slow endpoint delays nothing else.
 */
export const QUEUE_NAMES = ["maintenance", "retention", "webhooks"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * Finished jobs are kept a while for inspection, then trimmed. A job added with
 * a deterministic id (see `enqueue`) is deduplicated for as long as a job with
 * that id is still stored, i.e. up to these windows after it finished.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
};

/** Per-queue changes to DEFAULT_JOB_OPTIONS. */
export const QUEUE_JOB_OPTIONS: Partial<Record<QueueName, DefaultJobOptions>> = {
  // 10 attempts, 30 s doubling: the last one about 4 h 16 min after the first (≈ 8.5 h in all).
  webhooks: { attempts: 10, backoff: { type: "exponential", delay: 30_000 } },
};

export type QueueConnection = {
  /** A client from `createRedis({ forBullmq: true })`; the caller closes it. */
  connection: Redis;
  prefix?: string;
};

/** A BullMQ producer for one of our queues. It shares (and never closes) `connection`. */
export function createQueue(name: QueueName, opts: QueueConnection): Queue {
  return new Queue(name, {
    connection: opts.connection,
    prefix: opts.prefix ?? QUEUE_PREFIX,
    defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, ...QUEUE_JOB_OPTIONS[name] },
  });
}
