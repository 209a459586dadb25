import { Queue, type DefaultJobOptions } from "bullmq";
import type { Redis } from "ioredis";

/** Every BullMQ key lives under `mg:q:{queue}:...` (tests pass their own prefix). */
export const QUEUE_PREFIX = "mg:q";

export const QUEUE_NAMES = ["maintenance"] as const;
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
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}
