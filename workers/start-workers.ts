import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { createQueueClient, type QueueClient } from "../lib/queue/enqueue";
import { QUEUE_PREFIX, type QueueName } from "../lib/queue/queues";
import { createProcessor, type JobHandlers } from "./dispatch";
import { getDb, type Db } from "../lib/db/client";
import { startSecurityEventConsumer } from "./processors/security-events";
import { processWorkerHeartbeat } from "./processors/worker-heartbeat";

export type StartWorkersOptions = {
  /** From `createRedis({ forBullmq: true })`; stays open until the caller quits it. */
  connection: Redis;
  prefix?: string;
  concurrency: number;
  logger: Logger;
  /** Where consumed streams are stored (default: the process's client). */
  db?: Db;
  /** Store gateway denials from `mg:security` in `security_events` (default true). */
  securityEvents?: boolean;
};

export type RunningWorkers = {
  queueNames: QueueName[];
  workers: Worker[];
  queues: QueueClient;
  /** Waits for active jobs, then closes workers and queues (not the connection). */
  close(force?: boolean): Promise<void>;
};

export function startWorkers(opts: StartWorkersOptions): RunningWorkers {
  const { connection, logger } = opts;
  const prefix = opts.prefix ?? QUEUE_PREFIX;
  const handlers: JobHandlers = {
    "worker.heartbeat": () => processWorkerHeartbeat(connection),
  };
  const maintenance = new Worker("maintenance", createProcessor("maintenance", handlers, logger), {
    connection,
    prefix,
    concurrency: opts.concurrency,
  });
  const workers = [maintenance];
  for (const worker of workers) {
    worker.on("failed", (job, err) =>
      logger.warn({ queue: worker.name, job_id: job?.id, job: job?.name, err: { message: err.message } }, "job failed"),
    );
    worker.on("error", (err) => logger.error({ queue: worker.name, err: { message: err.message } }, "worker error"));
  }
  const queues = createQueueClient({ connection, prefix });
  const securityEvents =
    opts.securityEvents === false ? null : startSecurityEventConsumer(connection, { db: opts.db ?? getDb(), logger });
  return {
    queueNames: ["maintenance"],
    workers,
    queues,
    async close(force = false) {
      await Promise.all([...workers.map((w) => w.close(force)), securityEvents?.close()]);
      await queues.close();
    },
  };
}
