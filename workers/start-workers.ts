import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { createQueueClient, type QueueClient } from "../lib/queue/enqueue";
import { QUEUE_PREFIX, type QueueName } from "../lib/queue/queues";
import { createProcessor, type JobHandlers } from "./dispatch";
import { getDb, type Db } from "../lib/db/client";
import { startSecurityEventConsumer } from "./processors/security-events";
import { startUsageConsumer } from "./processors/usage-events";
import { startLogShipper, type LogShipperOptions } from "./processors/log-ship";
import { processWorkerHeartbeat } from "./processors/worker-heartbeat";
import { processAuditCheckpoints } from "./processors/audit-checkpoints";
import { processQuotaClose, processQuotaReached, processQuotaSweep } from "./processors/quota-close";
import { processWebhookDelivery } from "./processors/webhook-deliver";
import { processRetentionSchedule } from "./processors/retention-schedule";
import { processRetentionTenant } from "./processors/retention-tenant";
import { processPlatformReencrypt, processTenantReencrypt } from "./processors/reencrypt-data-key";
import { attachWorkerEvents, startAliveBeat } from "./worker-runtime";

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
  /** Store gateway usage from `mg:usage` in usage_events and its rollups (default true), with these batch settings. */
  usage?: false | { batchSize?: number; claimIdleMs?: number };
  /** Ship the audit trail and security log to central sinks (README "Central logging"); off when no sinks. */
  logShipping?: Omit<LogShipperOptions, "db" | "redis" | "logger">;
  /** Rows per data-key re-encryption batch (default 200). */
  reencrypt?: { batchSize?: number };
  /** Rows per retention batch (default RETENTION_BATCH_SIZE). */
  retention?: { batchSize?: number };
  /** Redis namespace of the health line (alive workers, scheduler successes); tests pass their own. */
  healthNamespace?: string;
};

export type RunningWorkers = {
  queueNames: QueueName[];
  workers: Worker[];
  queues: QueueClient;
  /**
   * Graceful stop: tells running jobs the process is stopping (long jobs hand
   * themselves back), waits for the active jobs, then closes workers and
   * queues (not the connection).
   */
  close(force?: boolean): Promise<void>;
};

export function startWorkers(opts: StartWorkersOptions): RunningWorkers {
  const { connection, logger } = opts;
  const prefix = opts.prefix ?? QUEUE_PREFIX;
  const queues = createQueueClient({ connection, prefix });
  const stop = new AbortController();
  const handlers: JobHandlers = {
    "worker.heartbeat": () => processWorkerHeartbeat(connection),
    "audit.checkpoint_all": (_payload, { logger: jobLogger }) => processAuditCheckpoints({ db: opts.db, logger: jobLogger }),
    "quota.close_periods": () => processQuotaSweep({ redis: connection, queues, db: opts.db }),
    "quota.close_period": (payload) => processQuotaClose(payload, { redis: connection, queues, db: opts.db }),
    "quota.notify_reached": (payload) => processQuotaReached(payload, { redis: connection, queues, db: opts.db }),
    "webhook.deliver": (payload, { job }) => processWebhookDelivery(payload, job, opts.db),
    "retention.schedule": (_payload, { job, logger: jobLogger }) =>
      processRetentionSchedule(queues, job.id!, { db: opts.db, logger: jobLogger }),
    "retention.tenant": (payload, ctx) =>
      processRetentionTenant(payload, ctx, { db: opts.db, batchSize: opts.retention?.batchSize }),
    "data_key.reencrypt": (payload, ctx) => processTenantReencrypt(payload, ctx, { db: opts.db, batchSize: opts.reencrypt?.batchSize }),
    "platform_data_key.reencrypt": (payload, ctx) =>
      processPlatformReencrypt(payload, ctx, { db: opts.db, batchSize: opts.reencrypt?.batchSize }),
  };
  const workerFor = (queue: QueueName, concurrency: number) =>
    new Worker(queue, createProcessor(queue, handlers, logger, { stopping: stop.signal }), { connection, prefix, concurrency });
  const maintenance = workerFor("maintenance", opts.concurrency);
  // Retention deletes in batches; two tenants at a time keep the database's write load bounded.
  const retention = workerFor("retention", Math.min(opts.concurrency, 2));
  // Webhook deliveries wait on tenants' endpoints (up to 10 s each): their own queue and workers.
  const webhooks = workerFor("webhooks", Math.max(2, opts.concurrency));
  const workers = [maintenance, retention, webhooks];
  for (const worker of workers) attachWorkerEvents(worker, connection, logger, opts.healthNamespace);
  const alive = startAliveBeat(connection, workers.map((w) => w.name), logger, opts.healthNamespace);
  const securityEvents =
    opts.securityEvents === false ? null : startSecurityEventConsumer(connection, { db: opts.db ?? getDb(), logger });
  const usage =
    opts.usage === false
      ? null
      : startUsageConsumer(connection, { db: opts.db ?? getDb(), logger, count: opts.usage?.batchSize, claimIdleMs: opts.usage?.claimIdleMs });
  const logShipper = opts.logShipping?.sinks.length
    ? startLogShipper({ ...opts.logShipping, db: opts.db ?? getDb(), redis: connection, logger: logger.child({ component: "log-shipper" }) })
    : null;
  return {
    queueNames: ["maintenance", "retention", "webhooks"],
    workers,
    queues,
    async close(force = false) {
      stop.abort();
      await alive.stop();
      await Promise.all([...workers.map((w) => w.close(force)), securityEvents?.close(), usage?.close(), logShipper?.close()]);
      await queues.close();
    },
  };
}
